package com.example.rlhf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.api.data.RecordFilter;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.PpoScheduler;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.host.testkit.Experiences;
import org.rlhf4j.host.testkit.PluginHarness;
import org.rlhf4j.host.testkit.Records;

/**
 * Integration test (failsafe, after `package`): the built zip loaded into a real host, which checks its descriptor,
 * api range, extension names and wiring as `rlhf run` would, then one filter and one stage run through it.
 */
class ExamplePluginIT {

    private static final Path ZIP = Path.of(System.getProperty("plugin.zip", "target/example-rlhf-1.0.0.zip"));

    @TempDir
    Path dir;

    @Test
    void theHostStartsThePluginAndRegistersEachExtension() {
        try (PluginHarness host = PluginHarness.load(ZIP, dir)) {
            assertEquals("example-rlhf", host.plugin().id());
            assertEquals("STARTED", host.plugin().state());
            assertEquals(List.of("example.banned-words"), host.extensionNames(RecordFilter.class));
            assertEquals(List.of("example.reinforce"), host.extensionNames(PpoScheduler.class));
            assertEquals(List.of("example.sample"), host.extensionNames(Stage.class));
            assertEquals(List.of("casino", "lottery", "viagra"), host.config().getStringList("example.banned-words.words"),
                    "the plugin's reference.conf reached the host's config");
        }
    }

    @Test
    void theFilterRunsInTheHostWithTheRunFilesSettings() {
        try (PluginHarness host = PluginHarness.load(ZIP, dir, "example.banned-words.words = [crypto]")) {
            List<FilterDecision> out = host.filter("example.banned-words",
                    List.of(Records.document("buy crypto now"), Records.document("a casino is fine here")));
            assertEquals(FilterDecision.Action.DROP, out.get(0).action());
            assertEquals("banned word 'crypto'", out.get(0).reason());
            assertEquals(FilterDecision.Action.KEEP, out.get(1).action(), "the run file replaced the default list");
        }
    }

    @Test
    void theSchedulerIsCreatedThroughGuice() {
        try (PluginHarness host = PluginHarness.load(ZIP, dir, "example.reinforce.baseline = batch")) {
            PpoScheduler s = host.create(PpoScheduler.class, "example.reinforce");
            Advantages a = s.schedule(Experiences.of(2, 2).scores(1, -1).build(), 0.0);
            assertEquals(1f, a.advantages()[0][1], 1e-6);
            assertEquals(-1f, a.advantages()[1][1], 1e-6);
        }
    }

    @Test
    void theStageRunsAndItsOutputIsPublished() throws Exception {
        Path input = Files.write(dir.resolve("input.jsonl"), List.of("{\"a\": 1}", "{\"a\": 2}", "{\"a\": 3}"));
        try (PluginHarness host = PluginHarness.load(ZIP, dir,
                "run.seed = 3\nexample.sample { input = \"" + input + "\", count = 2 }")) {
            PluginHarness.StageRun run = host.runStage("example.sample");
            assertEquals(2, Files.readAllLines(run.file("example/sample.jsonl")).size());
            assertTrue(Files.exists(run.file(".stages/example.sample.done")), "the host marked the stage finished");
            assertEquals(3L, run.metrics().last("example.sample", "lines"));
            assertNotEquals(List.of(), run.metrics().lines("example.sample"));
        }
    }
}
