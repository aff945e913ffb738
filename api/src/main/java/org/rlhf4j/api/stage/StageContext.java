package org.rlhf4j.api.stage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.rlhf4j.api.RunContext;

/**
 * What the host hands a running {@link Stage}: where to read earlier outputs and where to write.
 *
 * <p>Paths are laid out as in the run directory ({@code data/filtered.jsonl},
 * {@code checkpoints/sft/} ...): a stage writes {@code staging().resolve("data/filtered.jsonl")} and the
 * host publishes it as {@code data/filtered.jsonl} when the stage returns.
 *
 * @since 0.1.0
 */
public interface StageContext {

    /** The stage's name in {@code run.stages}. */
    String stage();

    /** The run this stage belongs to. */
    RunContext run();

    /** The stage's private directory that is published into the run directory on success. */
    Path staging();

    /**
     * A directory under staging for this stage's in-progress checkpoints: kept when the stage fails or
     * the process dies, never published, deleted when the stage finishes.
     */
    Path resumeDirectory();

    /** True when staging holds an earlier, unfinished attempt of this stage (its checkpoints, if any). */
    boolean resuming();

    /**
     * A finished output of an earlier stage, by the run's path rule ({@link RunContext#resolve}: relative to the
     * run directory, or absolute). Throws a {@link StageFailure} naming the path when it does not exist.
     */
    Path input(String path);

    /** {@link #input}, for an input the stage can do without: empty when nothing exists at the path. */
    default Optional<Path> inputIfPresent(String path) {
        Path p = run().resolve(path);
        return Files.exists(p) ? Optional.of(p) : Optional.empty();
    }

    /** A progress display for {@code total} units of work ({@code -1} when unknown); close it when done. */
    Progress progress(String task, long total);
}
