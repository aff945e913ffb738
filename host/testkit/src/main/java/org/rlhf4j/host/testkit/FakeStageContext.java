package org.rlhf4j.host.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.stage.Progress;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.api.stage.StageFailure;

/**
 * A {@link StageContext} for unit tests of a {@link org.rlhf4j.api.stage.Stage}: staging under the run directory's
 * {@code .staging/<stage>/} as in the host, inputs by the run's path rule, a no-op progress display. Nothing is
 * published: read what the stage wrote with {@link #output(String)}. Get one from {@link FakeRunContext#stage}.
 */
public final class FakeStageContext implements StageContext {

    private final FakeRunContext run;
    private final String stage;
    private final Path staging;
    private boolean resuming;

    FakeStageContext(FakeRunContext run, String stage) {
        this.run = run;
        this.stage = stage;
        this.staging = run.directory().resolve(".staging").resolve(stage);
        try {
            Files.createDirectories(staging);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes {@link #resuming()} true, as when {@code rlhf run --resume} re-runs an interrupted stage. */
    public FakeStageContext resuming(boolean resuming) {
        this.resuming = resuming;
        return this;
    }

    /** What the stage wrote at {@code relative} (as it would be published: {@code example/out.txt}). */
    public Path output(String relative) {
        return staging.resolve(relative);
    }

    @Override
    public String stage() {
        return stage;
    }

    @Override
    public RunContext run() {
        return run;
    }

    @Override
    public Path staging() {
        return staging;
    }

    @Override
    public Path resumeDirectory() {
        Path p = staging.resolve(".resume");
        try {
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean resuming() {
        return resuming;
    }

    @Override
    public Path input(String path) {
        Path p = run.resolve(path);
        if (!Files.exists(p)) {
            throw new StageFailure("stage " + stage + " needs " + p + ", which no earlier stage of this run produced");
        }
        return p;
    }

    @Override
    public Progress progress(String task, long total) {
        return new Progress() {
            @Override
            public void step(long n) {
            }

            @Override
            public void status(String text) {
            }

            @Override
            public void close() {
            }
        };
    }
}
