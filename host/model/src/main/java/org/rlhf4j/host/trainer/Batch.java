package org.rlhf4j.host.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * One micro-batch for next-token training, on the host: inputs (B, T), the tokens that follow them, and a
 * loss mask (1 where the loss counts; null when every position counts). Padding sits at the right.
 */
public record Batch(int rows, int length, long[] inputs, long[] targets, float[] lossMask) {

    /** Tokens that count towards the loss. */
    public long countedTokens() {
        if (lossMask == null) {
            return (long) rows * length;
        }
        long n = 0;
        for (float m : lossMask) {
            n += m > 0 ? 1 : 0;
        }
        return n;
    }

    public NDArray inputs(NDManager m) {
        return m.create(inputs, new Shape(rows, length));
    }

    public NDArray targets(NDManager m) {
        return m.create(targets, new Shape(rows, length));
    }

    public NDArray lossMask(NDManager m) {
        return lossMask == null ? null : m.create(lossMask, new Shape(rows, length));
    }
}
