package org.rlhf4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every plugin's config runs the whole quickstart task end to end - data stages, pretrain, SFT, evaluation,
 * annotation, reward (and cost) model, PPO - through the built CLI, in its smoke variant (configs/smoke/); its two
 * HTML reports are checked in headless Chromium and kept as screenshots in target/screenshots/ ({@link ReportPages}).
 */
class SmokeConfigsIT {

    @ParameterizedTest
    @ValueSource(strings = {"deepspeed", "trlx", "colossal", "colossal-sequence", "beaver", "beaver-shaping"})
    void smokeVariantRunsEndToEnd(String plugin, @TempDir Path dir) throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Path out = dir.resolve("run");
        Cli.Result r = Cli.run(repo, "run", "configs/smoke/" + plugin + ".conf", "--set", "run.output=\"" + out + "\"");
        assertEquals(0, r.exitCode(), r.toString());
        for (String file : List.of("data/report.html", "checkpoints/sft/model.safetensors", "checkpoints/reward/model.safetensors",
                "checkpoints/ppo/model.safetensors", "reports/ppo-samples.jsonl", "report.html")) {
            assertTrue(Files.exists(out.resolve(file)), plugin + ": no " + file + "\n" + r);
        }
        try (var events = Files.list(out.resolve("tensorboard"))) {   // run.metrics.sinks = [jsonl, tensorboard]
            assertTrue(events.anyMatch(f -> f.getFileName().toString().startsWith("events.out.tfevents.")),
                    plugin + ": no TensorBoard event file");
        }
        String metrics = Files.readString(out.resolve("metrics.jsonl"));
        assertTrue(metrics.contains("\"event\":\"ppo-finished\""), plugin + ": no ppo-finished line");
        String report = Files.readString(out.resolve("report.html"));
        assertTrue(report.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN),
                plugin + ": the report shows the bilingual held-out prompts, Chinese ones among them");
        if (ReportPages.browserAvailable()) {
            ReportPages.check(out, plugin, dir.resolve("chromium-profile"));
        } else {
            System.out.println("skipped the report pages in a browser: no /usr/bin/chromium and /usr/bin/chromedriver");
        }
        if (plugin.startsWith("beaver")) {
            assertTrue(Files.exists(out.resolve("checkpoints/cost/model.safetensors")), "beaver trains a cost model");
            assertTrue(metrics.contains("\"lambda\""), "safe PPO logs lambda");
        }
    }
}
