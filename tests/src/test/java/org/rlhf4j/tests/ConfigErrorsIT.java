package org.rlhf4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input fails before any work, with the key, the file:line and what would have been right. */
class ConfigErrorsIT {

    @TempDir
    Path dir;
    AcmeWorkspace ws;

    @BeforeEach
    void setUp() throws Exception {
        ws = AcmeWorkspace.create(dir);
    }

    @Test
    void unknownStageNameListsTheKnownOnes() throws Exception {
        Path conf = ws.config("typo.conf", """
                run {
                  name = typo
                  stages = [acme.hello, acme.helo]
                }
                acme.hello.recipient = you
                """);
        Cli.Result r = ws.rlhf("run", conf.toString());
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("run.stages (") && r.err().contains("typo.conf:3)"), r.toString());
        assertTrue(r.err().contains("no Stage extension is named 'acme.helo'"), r.toString());
        assertTrue(r.err().contains("Known: acme.fail, acme.hello, acme.slow"), r.toString());
        assertFalse(Files.exists(dir.resolve("runs/typo/acme/hello.txt")), "no stage ran before the check");
    }

    @Test
    void wrongValueTypeNamesKeyAndLine() throws Exception {
        Path conf = ws.config("wrongtype.conf", """
                run {
                  name = wrongtype
                  seed = "not a number"
                  stages = [acme.hello]
                }
                """);
        Cli.Result r = ws.rlhf("run", conf.toString());
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("wrongtype.conf: 3"), "names the file and line\n" + r);
        assertTrue(r.err().contains("run.seed"), "names the key\n" + r);
    }

    @Test
    void missingRequiredKeyNamesTheExtensionsBlock() throws Exception {
        Path conf = ws.config("missing.conf", "run { name = missing, stages = [acme.hello] }\n");
        Cli.Result r = ws.rlhf("run", conf.toString());
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("acme.hello") && r.err().contains("recipient"), r.toString());
    }

    @Test
    void badDeviceAndSyntaxErrorsAreNamed() throws Exception {
        Path device = ws.config("device.conf", "run { name = dev\n device = \"tpu\", stages = [] }\n");
        Cli.Result r = ws.rlhf("run", device.toString());
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("run.device (") && r.err().contains("device.conf:2)") && r.err().contains("auto, cpu, gpu, gpu:N"), r.toString());

        Path syntax = ws.config("syntax.conf", "run {\n  name = \"unclosed\n}\n");
        Cli.Result s = ws.rlhf("run", syntax.toString());
        assertEquals(3, s.exitCode(), s.toString());
        assertTrue(s.err().contains("syntax.conf: 2"), s.toString());

        Cli.Result missingFile = ws.rlhf("run", dir.resolve("nope.conf").toString());
        assertEquals(3, missingFile.exitCode(), missingFile.toString());
        assertTrue(missingFile.err().contains("nope.conf does not exist"), missingFile.toString());
    }

    @Test
    void stageFailureNamesStageAndRecordAndKeepsEarlierStages() throws Exception {
        Path conf = ws.config("fail.conf", """
                run { name = failing, stages = [acme.hello, acme.fail] }
                acme.hello.recipient = you
                acme.fail.record = "prompts.jsonl:12"
                """);
        Cli.Result r = ws.rlhf("run", conf.toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("stage acme.fail failed: malformed record at prompts.jsonl:12"), r.toString());
        assertTrue(Files.exists(dir.resolve("runs/failing/acme/hello.txt")), "the finished stage's output is kept");
        assertTrue(Files.exists(dir.resolve("runs/failing/.stages/acme.hello.done")));
        assertFalse(Files.exists(dir.resolve("runs/failing/.stages/acme.fail.done")));
    }

    @Test
    void aRunSelectingABrokenPluginFailsUpFront() throws Exception {
        // Replace the good acme archive with a corrupt one: its stages are gone, and the error says why.
        Files.delete(ws.plugins.resolve("acme-rlhf-1.0.0.zip"));
        Files.writeString(ws.plugins.resolve("acme-rlhf-1.0.0.zip"), "truncated");
        Path conf = ws.config("broken.conf", "run { name = broken, stages = [acme.hello] }\nacme.hello.recipient = you\n");
        Cli.Result r = ws.rlhf("run", conf.toString());
        assertEquals(4, r.exitCode(), r.toString());
        assertTrue(r.err().contains("no Stage extension is named 'acme.hello'"), r.toString());
        assertTrue(r.err().contains("acme-rlhf-1.0.0.zip (not a readable zip archive"), r.toString());
        assertFalse(Files.exists(dir.resolve("runs/broken/acme")), "nothing ran");
    }
}
