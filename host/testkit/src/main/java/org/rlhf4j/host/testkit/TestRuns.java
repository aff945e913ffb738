package org.rlhf4j.host.testkit;

import ai.djl.Device;
import java.nio.file.Path;
import org.rlhf4j.api.MetricsSink;
import org.rlhf4j.api.RunContext;

/** A RunContext for tests that build a stage's pieces directly: CPU, a fixed seed, metrics dropped. */
public final class TestRuns {

    private TestRuns() {
    }

    public static RunContext context(Path directory, long seed) {
        return new RunContext() {
            @Override
            public String name() {
                return "t";
            }

            @Override
            public long seed() {
                return seed;
            }

            @Override
            public Device device() {
                return Device.cpu();
            }

            @Override
            public Path directory() {
                return directory;
            }

            @Override
            public MetricsSink metrics() {
                return (stage, step, values) -> { };
            }
        };
    }
}
