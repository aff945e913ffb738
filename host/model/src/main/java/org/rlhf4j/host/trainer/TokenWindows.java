package org.rlhf4j.host.trainer;

import java.util.SplittableRandom;

/**
 * Pretraining batches as nanoGPT's get_batch draws them: windows of {@code length} tokens at random
 * offsets of one long token stream (documents joined by end-of-text), targets shifted by one.
 */
public final class TokenWindows implements Batches {

    private final int[] tokens;
    private final int from;
    private final int to;
    private final int rows;
    private final int length;

    /** Windows inside {@code tokens[from, to)}. */
    public TokenWindows(int[] tokens, int from, int to, int rows, int length) {
        if (to - from < length + 1) {
            throw new IllegalArgumentException("only " + (to - from) + " tokens for windows of " + (length + 1));
        }
        this.tokens = tokens;
        this.from = from;
        this.to = to;
        this.rows = rows;
        this.length = length;
    }

    /** Training and validation windows: the first {@code 1 - heldOut} of the stream, and the rest. */
    public static TokenWindows[] split(int[] tokens, double heldOut, int rows, int length) {
        int cut = (int) (tokens.length * (1 - heldOut));
        return new TokenWindows[] {new TokenWindows(tokens, 0, cut, rows, length),
                new TokenWindows(tokens, cut, tokens.length, rows, length)};
    }

    @Override
    public Batch next(SplittableRandom rng) {
        long[] x = new long[rows * length];
        long[] y = new long[rows * length];
        for (int b = 0; b < rows; b++) {
            int o = from + rng.nextInt(to - from - length);
            for (int t = 0; t < length; t++) {
                x[b * length + t] = tokens[o + t];
                y[b * length + t] = tokens[o + t + 1];
            }
        }
        return new Batch(rows, length, x, y, null);
    }
}
