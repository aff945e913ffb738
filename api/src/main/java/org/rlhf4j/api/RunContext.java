package org.rlhf4j.api;

import ai.djl.Device;
import java.nio.file.Path;

/**
 * The run every extension works for, from the {@code run} block of the config. Injectable.
 *
 * <p>One per {@code rlhf run}; it lives as long as the run. The device is resolved on first use,
 * which starts the DJL engine, so building an extension that never asks for it stays cheap.
 *
 * @since 0.1.0
 */
public interface RunContext {

    /** {@code run.name}. */
    String name();

    /** {@code run.seed}: every random choice of the run derives from it. */
    long seed();

    /** A seed for one named purpose, derived from {@link #seed()} so that purposes do not share a stream. */
    default long seed(String purpose) {
        long h = seed() ^ 0x9E3779B97F4A7C15L;
        for (int i = 0; i < purpose.length(); i++) {
            h = (h ^ purpose.charAt(i)) * 0x100000001B3L;
        }
        return h;
    }

    /** The device {@code run.device} names ({@code auto | cpu | gpu | gpu:N}), resolved against the engine. */
    Device device();

    /** The run directory ({@code run.output}, default {@code runs/<run.name>}). */
    Path directory();

    /**
     * The one path rule for what a run reads and writes: a path from the config that names an output of a stage
     * ({@code data/filtered.jsonl}, {@code checkpoints/sft}) is relative to the run directory, and an absolute
     * path is taken as it is. The result is absolute. (Lists of the user's own files, such as {@code files} and
     * a source's {@code path}, are not outputs of a stage: they are relative to the working directory.)
     */
    default Path resolve(String path) {
        return resolve(directory(), path);
    }

    /** {@link #resolve(String)} for the run directory {@code directory}, where no RunContext is at hand. */
    static Path resolve(Path directory, String path) {
        Path p = Path.of(path);
        return (p.isAbsolute() ? p : directory.resolve(p)).toAbsolutePath().normalize();
    }

    /** Where metrics of every stage go: every sink of {@code run.metrics.sinks} ({@code metrics.jsonl} in the run directory by default). */
    MetricsSink metrics();
}
