package org.rlhf4j.host.testkit;

import ai.djl.Device;
import java.nio.file.Path;
import org.rlhf4j.api.RunContext;

/**
 * A {@link RunContext} for unit tests that construct an extension themselves ({@code new MyStage(settings, run)}):
 * a run directory of the test's choosing, a fixed seed, the CPU, and a {@link RecordingMetrics} that keeps what
 * was logged. {@link #seed(String)} is the api's own derivation, so a seeded extension behaves as in a real run
 * with the same {@code run.seed}.
 */
public final class FakeRunContext implements RunContext {

    private final Path directory;
    private final RecordingMetrics metrics = new RecordingMetrics();
    private String name = "test";
    private long seed = 42;

    private FakeRunContext(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    /** A run whose directory is {@code directory} (a JUnit {@code @TempDir}), named {@code test}, seed 42. */
    public static FakeRunContext in(Path directory) {
        return new FakeRunContext(directory);
    }

    /** Sets {@code run.seed}. */
    public FakeRunContext withSeed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Sets {@code run.name}. */
    public FakeRunContext withName(String name) {
        this.name = name;
        return this;
    }

    /** A {@link FakeStageContext} for stage {@code stage} of this run. */
    public FakeStageContext stage(String stage) {
        return new FakeStageContext(this, stage);
    }

    @Override
    public String name() {
        return name;
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

    /** What was logged through this run's sink. */
    @Override
    public RecordingMetrics metrics() {
        return metrics;
    }
}
