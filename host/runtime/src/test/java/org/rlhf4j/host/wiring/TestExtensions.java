package org.rlhf4j.host.wiring;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.MetricsSinkFactory;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.ppo.KlController;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.api.stage.StageContext;

/**
 * Built-in extensions of the runtime's tests only: the annotation processor indexes them in
 * target/test-classes/META-INF/extensions.idx, so the real catalog finds them like any built-in.
 */
final class TestExtensions {

    private TestExtensions() {
    }

    /** A KL controller whose coefficient comes from its settings block ({@code test-constant.coefficient}). */
    @Extension
    @ExtensionName("test-constant")
    public static final class ConstantKl implements KlController {
        private final double coefficient;

        @Inject
        public ConstantKl(@Settings Config settings) {
            this.coefficient = settings.getDouble("coefficient");
            if (coefficient < 0) {
                throw new ConfigProblem(settings, "coefficient", "must be >= 0, got " + coefficient);
            }
        }

        @Override
        public double coefficient() {
            return coefficient;
        }

        @Override
        public void update(double observedKl, int nSteps) {
        }

        @Override
        public Map<String, Double> state() {
            return Map.of();
        }

        @Override
        public void restore(Map<String, Double> state) {
        }
    }

    /** A stage that copies {@code test-copy.from} (by the run's path rule) to {@code data/copy.txt}. */
    @Extension
    @ExtensionName("test-copy")
    public static final class CopyStage implements Stage {
        private final String from;

        @Inject
        public CopyStage(@Settings Config settings, RunContext run) {
            this.from = settings.getString("from");
        }

        @Override
        public void run(StageContext ctx) throws Exception {
            Path in = ctx.input(from);
            Path out = Files.createDirectories(ctx.staging().resolve("data")).resolve("copy.txt");
            Files.copy(in, out);
        }
    }

    /** A stage that logs {@code loss = 1 / step} for steps 1 to 3, as a training stage logs its steps. */
    @Extension
    @ExtensionName("test-steps")
    public static final class StepsStage implements Stage {
        @Override
        public void run(StageContext ctx) {
            for (int step = 1; step <= 3; step++) {
                ctx.run().metrics().log(ctx.stage(), step, Map.of("loss", 1.0 / step));
            }
        }
    }

    /** A metrics sink whose every log and close fails. */
    @Extension
    @ExtensionName("test-failing-sink")
    public static final class FailingSink implements MetricsSinkFactory {
        @Override
        public Sink open(RunContext run) {
            return new Sink() {
                @Override
                public void log(String stage, long step, Map<String, ?> values) {
                    throw new IllegalStateException("the dashboard is down");
                }

                @Override
                public void close() throws IOException {
                    throw new IOException("the dashboard did not answer");
                }
            };
        }
    }
}
