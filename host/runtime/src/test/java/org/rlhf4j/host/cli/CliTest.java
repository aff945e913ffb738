package org.rlhf4j.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.host.metrics.tensorboard.EventFileReader;

/** The runtime's own commands, in-process, with the runtime's test extensions (test-copy, test-constant). */
class CliTest {

    @TempDir
    Path dir;

    record Result(int exitCode, String out, String err) {
    }

    private Result rlhf(String... args) throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        String[] all = new String[args.length + 2];
        all[0] = "--plugins";
        all[1] = Files.createDirectories(dir.resolve("plugins")).toString();
        System.arraycopy(args, 0, all, 2, args.length);
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Cli.execute(CliTest.class, List.of(), all);
            return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void aConfigThatFailsWhenItsStagesAreBuiltLeavesNoRunDirectory() throws Exception {
        Path runDir = dir.resolve("runs/bad");
        Path conf = Files.writeString(dir.resolve("bad.conf"), """
                run { name = bad, output = "%s", stages = [test-copy] }
                ppo.kl-controller = test-constant
                """.formatted(runDir)); // test-copy.from is missing: its constructor fails
        Result r = rlhf("run", conf.toString());
        assertEquals(ExitCodes.CONFIG, r.exitCode(), r.toString());
        assertTrue(r.err().contains("from"), r.err());
        assertFalse(Files.exists(runDir), "nothing was run: no run directory is left behind");
    }

    @Test
    void aMisspelledKeyStopsTheRunBeforeAnythingIsWritten() throws Exception {
        Path runDir = dir.resolve("runs/typo");
        Path conf = Files.writeString(dir.resolve("typo.conf"), "run { name = typo, output = \"%s\", stages = [] }\nrun.sead = 3\n"
                .formatted(runDir));
        Result r = rlhf("run", conf.toString());
        assertEquals(ExitCodes.CONFIG, r.exitCode(), r.toString());
        assertTrue(r.err().contains("run.sead (" + conf + ":2): no such setting; did you mean run.seed?"), r.err());
        assertFalse(Files.exists(runDir));
        Result warned = rlhf("run", conf.toString(), "--set", "run.unknown-keys=warn");
        assertEquals(ExitCodes.OK, warned.exitCode(), warned.toString());
    }

    @Test
    void configPathTakesALeafKeyOrASection() throws Exception {
        Path conf = Files.writeString(dir.resolve("c.conf"), "run.seed = 11\n");
        Result leaf = rlhf("config", conf.toString(), "--path", "run.seed");
        assertEquals(ExitCodes.OK, leaf.exitCode(), leaf.toString());
        assertEquals(1, leaf.out().lines().count(), leaf.out());
        assertTrue(leaf.out().matches("run\\.seed\\s+= 11\\s+# .*c\\.conf:1\\s*"), leaf.out());
        Result section = rlhf("config", conf.toString(), "--path", "run");
        assertTrue(section.out().lines().count() > 3 && section.out().contains("run.name"), section.out());
        Result missing = rlhf("config", conf.toString(), "--path", "run.sede");
        assertEquals(ExitCodes.CONFIG, missing.exitCode(), missing.toString());
    }

    @Test
    void anExplicitPluginsFolderThatDoesNotExistIsAPluginError() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Cli.execute(CliTest.class, List.of(), "--plugins", dir.resolve("nonexistent").toString(), "plugins");
            assertEquals(ExitCodes.PLUGIN, code);
        } finally {
            System.setErr(err);
        }
        assertTrue(e.toString(StandardCharsets.UTF_8).contains("the plugins folder " + dir.resolve("nonexistent")
                + " (--plugins) does not exist"), e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void noSecretOfTheConfigReachesAnyOutputOrFileOfTheRunAndItsFolderIsPrivate() throws Exception {
        String apiKey = "sk-live-SECRET-4242";
        String dbPassword = "pw-SECRET-9999";
        String header = "hdr-SECRET-7777";
        Path runDir = dir.resolve("runs/secret");
        Path in = Files.writeString(dir.resolve("in.txt"), "data");
        Path conf = Files.writeString(dir.resolve("secret.conf"), """
                run { name = secret, output = "%s", stages = [test-copy, "test-copy#again"] }
                test-copy.from = "%s"
                acme { api-key = "%s", store = "jdbc:postgresql://db.example.org/labels?user=u&password=%s" }
                acme.headers { X-Team = "%s" }
                """.formatted(runDir, in, apiKey, dbPassword, header));
        Result ok = rlhf("run", conf.toString());
        assertEquals(ExitCodes.OK, ok.exitCode(), ok.toString());
        Result shown = rlhf("config", conf.toString(), "--path", "acme");
        assertTrue(shown.out().contains("acme.api-key") && shown.out().contains("***"), shown.out());
        // a failure whose message carries a secret: a missing input named after the key
        Path badConf = Files.writeString(dir.resolve("bad-secret.conf"), """
                run { name = bad, output = "%s", stages = [test-copy] }
                test-copy.from = "/nowhere/%s"
                acme.api-key = "%s"
                """.formatted(dir.resolve("runs/bad"), apiKey, apiKey));
        Result failed = rlhf("run", badConf.toString());
        assertEquals(ExitCodes.STAGE_FAILED, failed.exitCode(), failed.toString());
        StringBuilder everything = new StringBuilder(ok.out() + ok.err() + shown.out() + shown.err() + failed.out() + failed.err());
        for (Path root : List.of(runDir, dir.resolve("runs/bad"))) {
            try (var files = Files.walk(root)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    everything.append(Files.readString(f, StandardCharsets.ISO_8859_1));
                }
            }
        }
        for (String secret : List.of(apiKey, dbPassword, header)) {
            assertFalse(everything.toString().contains(secret), secret + " leaked:\n" + everything);
        }
        assertTrue(Files.readString(runDir.resolve("run.log")).contains("stage test-copy"), "the run has a log file");
        assertTrue(failed.err().contains("/nowhere/***"), failed.err());
        var perms = Files.getPosixFilePermissions(runDir);
        assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"), perms, "only the owner reads the run");
    }

    @Test
    void resumeRefusesAChangedSettingOfAFinishedStageNamingItUnlessAllowed() throws Exception {
        Path runDir = dir.resolve("runs/resume");
        Path in = Files.writeString(dir.resolve("in.txt"), "data");
        Path other = Files.writeString(dir.resolve("other.txt"), "other");
        Path conf = Files.writeString(dir.resolve("resume.conf"), """
                run { name = resume, output = "%s", stages = [test-copy] }
                test-copy.from = "%s"
                """.formatted(runDir, in));
        assertEquals(ExitCodes.OK, rlhf("run", conf.toString()).exitCode());
        assertEquals(ExitCodes.OK, rlhf("run", conf.toString(), "--resume", "--set", "run.threads=1").exitCode(),
                "a setting that shapes no result may change");
        Result changed = rlhf("run", conf.toString(), "--resume", "--set", "test-copy.from=\"" + other + "\"");
        assertEquals(ExitCodes.CONFIG, changed.exitCode(), changed.toString());
        assertTrue(changed.err().contains("stage test-copy: test-copy.from was \"" + in + "\", now \"" + other + "\""), changed.err());
        Result allowed = rlhf("run", conf.toString(), "--resume", "--allow-config-change", "--set", "test-copy.from=\"" + other + "\"");
        assertEquals(ExitCodes.OK, allowed.exitCode(), allowed.toString());
    }

    @Test
    void aRunWritesItsStepsToMetricsJsonlAndToATensorBoardEventFile() throws Exception {
        Path runDir = dir.resolve("runs/steps");
        Path conf = Files.writeString(dir.resolve("steps.conf"), """
                run { name = steps, output = "%s", stages = [test-steps] }
                """.formatted(runDir));
        Result r = rlhf("run", conf.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.toString());
        long stepRows = Files.readAllLines(runDir.resolve("metrics.jsonl")).stream()
                .filter(l -> l.contains("\"loss\"")).count();
        assertEquals(3, stepRows);
        Path tensorboard = runDir.resolve("tensorboard");
        List<Path> files;
        try (var list = Files.list(tensorboard)) {
            files = list.toList();
        }
        assertEquals(1, files.size(), files.toString());
        assertTrue(files.get(0).getFileName().toString().startsWith("events.out.tfevents."), files.toString());
        List<EventFileReader.Event> events = EventFileReader.read(files.get(0));
        assertEquals("brain.Event:2", events.get(0).fileVersion());
        assertEquals(List.of(1L, 2L, 3L), events.subList(1, events.size()).stream().map(EventFileReader.Event::step).toList(),
                "the stage's three steps; its stage-finished event (no step) stays in metrics.jsonl");
        assertEquals(Map.of("test-steps/loss", 0.5f), events.get(2).values());
    }

    @Test
    void anUnknownMetricsSinkFailsTheRunUpFrontAndLeavesNoRunDirectory() throws Exception {
        Path runDir = dir.resolve("runs/sinkless");
        Path conf = Files.writeString(dir.resolve("sinkless.conf"), """
                run { name = sinkless, output = "%s", stages = [test-steps], metrics.sinks = [jsonl, wandb] }
                """.formatted(runDir));
        Result r = rlhf("run", conf.toString());
        assertEquals(ExitCodes.CONFIG, r.exitCode(), r.toString());
        assertTrue(r.err().contains("no MetricsSinkFactory extension is named 'wandb'. Known: jsonl, tensorboard"), r.err());
        assertFalse(Files.exists(runDir), "nothing was run: no run directory is left behind");
    }
}
