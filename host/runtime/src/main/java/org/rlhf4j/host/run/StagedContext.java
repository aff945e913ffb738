package org.rlhf4j.host.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.stage.Progress;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.api.stage.StageFailure;

/**
 * The {@link StageContext} of one stage of a run: its staging folder, its resume folder inside it, inputs by the
 * run's path rule, and progress on the console. The {@link Pipeline} gives one to each stage it runs; the testkit's
 * fake stage context is one without a console.
 */
public class StagedContext implements StageContext {

    private final RunContext run;
    private final String stage;
    private final Path staging;
    private final boolean resuming;

    public StagedContext(RunContext run, String stage, Path staging, boolean resuming) {
        this.run = run;
        this.stage = stage;
        this.staging = staging;
        this.resuming = resuming;
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
        Path p = staging.resolve(RunDirectory.RESUME_DIR);
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new StageFailure("cannot create " + p + ": " + e.getMessage(), e);
        }
        return p;
    }

    @Override
    public boolean resuming() {
        return resuming;
    }

    @Override
    public Path input(String path) {
        Path p = run.resolve(path);
        if (!Files.exists(p)) {
            throw new StageFailure("stage " + stage + " needs " + p + ", which no earlier stage of this run produced;"
                    + " list the stage that writes it before " + stage + " in run.stages");
        }
        return p;
    }

    @Override
    public Progress progress(String task, long total) {
        return new ConsoleProgress(stage + ": " + task, total);
    }
}
