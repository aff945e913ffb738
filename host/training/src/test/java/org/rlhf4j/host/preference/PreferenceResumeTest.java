package org.rlhf4j.host.preference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.ExtensionPoint;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.MetricsSink;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.reward.PolicyPairBatch;
import org.rlhf4j.api.reward.PolicyPreferenceLoss;
import org.rlhf4j.api.reward.RewardMath;
import org.rlhf4j.api.stage.Progress;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.host.model.HfCheckpoint;
import org.rlhf4j.host.reward.RewardStageTest;

/**
 * A run killed after its step-3 checkpoint and resumed takes exactly the steps of an uninterrupted run (same
 * losses, same final weights), with the reference rebuilt from the SFT checkpoint rather than the checkpoint.
 * The stage is built directly, with a DPO of beta 1 written here as its loss.
 */
class PreferenceResumeTest {

    /** DPO with beta 1; throws at its {@code failAt}-th call (0: never), as a kill would stop the run. */
    static final class TestDpo implements PolicyPreferenceLoss {
        private final int failAt;
        private int calls;

        TestDpo(int failAt) {
            this.failAt = failAt;
        }

        public boolean needsReference() {
            return true;
        }

        public NDArray loss(PolicyPairBatch b) {
            if (++calls == failAt) {
                throw new IllegalStateException("killed at call " + calls);
            }
            return RewardMath.logSigmoid(margin(b)).mean().neg();
        }

        public NDArray reward(NDArray logProbs, NDArray lengths, NDArray referenceLogProbs) {
            return logProbs.sub(referenceLogProbs);
        }
    }

    record Loss(PolicyPreferenceLoss loss) implements Extensions {
        public <T extends ExtensionPoint> T select(Class<T> point, String configKey) {
            throw new UnsupportedOperationException();
        }

        public <T extends ExtensionPoint> T select(Class<T> point, Config settings, String key) {
            return point.cast(loss);
        }

        public <T extends ExtensionPoint> List<T> selectAll(Class<T> point, String configKey) {
            throw new UnsupportedOperationException();
        }

        public <T extends ExtensionPoint> T create(Class<T> point, String name) {
            throw new UnsupportedOperationException();
        }

        public SortedSet<String> names(Class<? extends ExtensionPoint> point) {
            return new TreeSet<>();
        }
    }

    record Run(Path dir, List<Map<String, ?>> lines) implements RunContext {
        public String name() {
            return "resume";
        }

        public long seed() {
            return 9;
        }

        public Device device() {
            return Device.cpu();
        }

        public Path directory() {
            return dir;
        }

        public MetricsSink metrics() {
            return (stage, step, values) -> lines.add(Map.of("step", step, "values", values));
        }
    }

    record Ctx(String stage, Run run, Path staging, boolean resuming) implements StageContext {
        public Path resumeDirectory() {
            try {
                return Files.createDirectories(staging.resolve("resume"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        public Path input(String relativePath) {
            return run.dir().resolve(relativePath);
        }

        public Progress progress(String task, long total) {
            return new Progress() {
                public void step(long n) {
                }

                public void status(String text) {
                }

                public void close() {
                }
            };
        }
    }

    @Test
    void aResumedRunTakesTheStepsOfAnUninterruptedOne(@TempDir Path dir) throws Exception {
        RewardStageTest.tinyCheckpoint(dir);
        Path prefs = RewardStageTest.preferences(dir, 12);
        Config config = ConfigFactory.parseString("""
                tokenizer.template = deepspeed
                preference { files = ["%s"], steps = 6, batch-size = 4, learning-rate = 3e-3, warmup-steps = 1,
                             eval-interval = 3, checkpoint-interval = 3 }
                """.formatted(prefs)).withFallback(ConfigFactory.defaultReference()).resolve();
        Config block = config.getConfig("preference");

        Run whole = new Run(dir, new ArrayList<>());
        Path wholeStaging = dir.resolve("whole");
        new PreferenceStage(block, config, new Loss(new TestDpo(0)), whole).run(new Ctx("preference", whole, wholeStaging, false));

        Run killed = new Run(dir, new ArrayList<>());
        Path staging = dir.resolve("killed");
        PreferenceStage dying = new PreferenceStage(block, config, new Loss(new TestDpo(4)), killed);
        assertThrows(IllegalStateException.class, () -> dying.run(new Ctx("preference", killed, staging, false)));
        assertTrue(Files.isRegularFile(staging.resolve("resume/latest/state.json")), "no checkpoint after step 3");
        new PreferenceStage(block, config, new Loss(new TestDpo(0)), killed).run(new Ctx("preference", killed, staging, true));

        // the resumed attempt starts at step 4: steps 1 to 3 were trained (and logged) once, by the killed attempt
        for (long step = 1; step <= 3; step++) {
            final long s = step;
            assertEquals(1, killed.lines().stream().filter(l -> ((Number) l.get("step")).longValue() == s
                    && ((Map<?, ?>) l.get("values")).containsKey("loss")).count(), "step " + step + " trained twice");
        }
        for (long step = 4; step <= 6; step++) {
            assertEquals(loss(whole, step), loss(killed, step), 1e-5, "loss at step " + step);
        }
        // the resumed attempt still reports the margin of the starting model as "before"
        assertEquals(finished(whole).get("val-margin-before"), finished(killed).get("val-margin-before"));
        assertEquals(0.0, ((Number) finished(killed).get("val-margin-before")).doubleValue(), 1e-6);
        try (HfCheckpoint.Loaded a = HfCheckpoint.load(wholeStaging.resolve("checkpoints/preference"), Device.cpu());
             HfCheckpoint.Loaded b = HfCheckpoint.load(staging.resolve("checkpoints/preference"), Device.cpu())) {
            for (Map.Entry<String, NDArray> e : a.model().parameters().entrySet()) {
                assertArrayEquals(e.getValue().toFloatArray(), b.model().parameters().get(e.getKey()).toFloatArray(), 1e-5f, e.getKey());
            }
        }
    }

    /** The values of the run's {@code preference-finished} line. */
    private static Map<?, ?> finished(Run run) {
        return run.lines().stream().map(l -> (Map<?, ?>) l.get("values"))
                .filter(v -> "preference-finished".equals(v.get("event"))).findFirst().orElseThrow();
    }

    /** The training loss the run logged at {@code step} (its last such line: the resumed run's). */
    private static double loss(Run run, long step) {
        double found = Double.NaN;
        for (Map<String, ?> line : run.lines()) {
            Map<?, ?> values = (Map<?, ?>) line.get("values");
            if (((Number) line.get("step")).longValue() == step && values.containsKey("loss")) {
                found = ((Number) values.get("loss")).doubleValue();
            }
        }
        assertTrue(Double.isFinite(found), "no loss logged at step " + step);
        return found;
    }
}
