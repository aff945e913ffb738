package org.rlhf4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plugin built from a separate source tree against the api jar only, selected by name, runs. */
class ThirdPartyPluginIT {

    @Test
    void aThirdPartyStageRunsFromItsArchive(@TempDir Path dir) throws Exception {
        AcmeWorkspace ws = AcmeWorkspace.create(dir);
        Path conf = ws.config("hello.conf", """
                run { name = hello, seed = 7, stages = [acme.hello] }
                acme.hello.recipient = "plugin authors"
                """);

        Cli.Result plugins = ws.rlhf("plugins");
        assertTrue(plugins.out().lines().anyMatch(l -> l.contains("acme-rlhf") && l.contains("STARTED")), plugins.toString());
        assertTrue(plugins.out().lines().anyMatch(l -> l.contains("Stage") && l.contains("acme.hello") && l.contains("acme-rlhf")),
                plugins.toString());

        Cli.Result r = ws.rlhf("run", conf.toString());
        assertEquals(0, r.exitCode(), r.toString());
        Path runDir = dir.resolve("runs/hello");
        assertEquals("hello, plugin authors (seed 7)\n", Files.readString(runDir.resolve("acme/hello.txt")),
                "the plugin's default message and the run's settings reached the extension");
        assertTrue(Files.readString(runDir.resolve("metrics.jsonl")).contains("\"greeted\":1"));
        assertTrue(Files.readString(runDir.resolve("config.resolved.conf")).contains("plugin authors"));
        assertTrue(Files.exists(runDir.resolve(".stages/acme.hello.done")));
    }

    @Test
    void aStageListedTwiceWithALabelRunsTwice(@TempDir Path dir) throws Exception {
        AcmeWorkspace ws = AcmeWorkspace.create(dir);
        Path conf = ws.config("twice.conf", """
                run { name = twice, stages = [acme.hello, "acme.hello#again"] }
                acme.hello.recipient = "twice"
                """);
        Cli.Result r = ws.rlhf("run", conf.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(Files.exists(dir.resolve("runs/twice/.stages/acme.hello.done")));
        assertTrue(Files.exists(dir.resolve("runs/twice/.stages/acme.hello#again.done")));
        assertEquals(2, Files.readAllLines(dir.resolve("runs/twice/metrics.jsonl")).stream()
                .filter(l -> l.contains("\"greeted\"")).count(), "the two instances each logged");
    }

    @Test
    void setOverridesTheRunFile(@TempDir Path dir) throws Exception {
        AcmeWorkspace ws = AcmeWorkspace.create(dir);
        Path conf = ws.config("hello.conf", """
                run { name = hello, seed = 7, stages = [acme.hello] }
                acme.hello.recipient = "plugin authors"
                """);
        Cli.Result r = ws.rlhf("run", conf.toString(), "--set", "acme.hello.message=\"good morning\"", "--set", "run.seed=9");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("good morning, plugin authors (seed 9)\n", Files.readString(dir.resolve("runs/hello/acme/hello.txt")));

        Cli.Result shown = ws.rlhf("config", conf.toString(), "--set", "run.seed=9", "--path", "run");
        assertEquals(0, shown.exitCode(), shown.toString());
        assertTrue(shown.out().lines().anyMatch(l -> l.startsWith("run.seed") && l.contains("9") && l.contains("--set run.seed=9")),
                shown.toString());
        assertTrue(shown.out().lines().anyMatch(l -> l.startsWith("run.name") && l.contains("hello.conf:1")), shown.toString());
        assertTrue(shown.out().lines().anyMatch(l -> l.startsWith("run.device") && l.contains("reference.conf")), shown.toString());
    }
}
