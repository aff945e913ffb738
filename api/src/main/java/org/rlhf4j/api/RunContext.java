package org.rlhf4j.api;

import ai.djl.Device;
import java.nio.file.Path;

/**
 * The run every extension works for, from the {@code run} block of the config. Injectable.
 *
 * <p>One per {@code rlhf run}; it lives as long as the run. The device is resolved on first use,
 * which starts the DJL engine, so building an extension that never asks for it stays cheap.
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

    /** Where metrics of every stage go ({@code metrics.jsonl} in the run directory). */
    MetricsSink metrics();
}
