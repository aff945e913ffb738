package org.rlhf4j.host.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rlhf4j.api.stage.Progress;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.host.run.StagedContext;

/**
 * A {@link StageContext} for unit tests of a {@link org.rlhf4j.api.stage.Stage}: the host's own
 * ({@link StagedContext}: staging under the run directory's {@code .staging/<stage>/}, inputs by the run's path rule)
 * with a no-op progress display. Nothing is published: read what the stage wrote with {@link #output(String)}. Get
 * one from {@link FakeRunContext#stage}; {@link #resuming(boolean)} gives one that re-runs an interrupted stage.
 */
public final class FakeStageContext extends StagedContext {

    private final FakeRunContext run;

    FakeStageContext(FakeRunContext run, String stage) {
        this(run, stage, false);
    }

    private FakeStageContext(FakeRunContext run, String stage, boolean resuming) {
        super(run, stage, created(run.directory().resolve(".staging").resolve(stage)), resuming);
        this.run = run;
    }

    private static Path created(Path staging) {
        try {
            return Files.createDirectories(staging);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This stage's context as when {@code rlhf run --resume} re-runs it interrupted ({@code resuming}), same folders. */
    public FakeStageContext resuming(boolean resuming) {
        return new FakeStageContext(run, stage(), resuming);
    }

    /** What the stage wrote at {@code relative} (as it would be published: {@code example/out.txt}). */
    public Path output(String relative) {
        return staging().resolve(relative);
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
