package org.rlhf4j.host.testkit;

import java.util.Arrays;
import org.rlhf4j.api.ppo.Experience;

/**
 * Builds a PPO {@link Experience} (B sequences of T answer positions) for tests of a
 * {@link org.rlhf4j.api.ppo.PpoScheduler}, {@link org.rlhf4j.api.ppo.KlController} or
 * {@link org.rlhf4j.api.ppo.SafetyConstraint}: every array starts at zero with every position on the mask, and you
 * set what the test is about.
 *
 * <pre>{@code
 * Experience e = Experiences.of(2, 4)
 *         .answerLengths(4, 2)          // row 1 has two answer tokens, then padding
 *         .scores(1.0, -0.5)            // the reward model's score per sequence
 *         .values(0.25)                 // the critic's value at every position
 *         .build();
 * }</pre>
 */
public final class Experiences {

    private final int batch;
    private final int length;
    private final float[][] logProbs;
    private final float[][] refLogProbs;
    private final float[][] values;
    private final float[] scores;
    private float[][] tokenScores;
    private final float[][] mask;

    private Experiences(int batch, int length) {
        this.batch = batch;
        this.length = length;
        this.logProbs = new float[batch][length];
        this.refLogProbs = new float[batch][length];
        this.values = new float[batch][length];
        this.scores = new float[batch];
        this.mask = new float[batch][length];
        for (float[] row : mask) {
            Arrays.fill(row, 1f);
        }
    }

    /** B = {@code batch} sequences of T = {@code length} positions, all on the mask, everything else zero. */
    public static Experiences of(int batch, int length) {
        if (batch <= 0 || length <= 0) {
            throw new IllegalArgumentException("batch and length must be > 0");
        }
        return new Experiences(batch, length);
    }

    /** Row b's answer is its first {@code lengths[b]} positions; the rest is padding (mask 0). */
    public Experiences answerLengths(int... lengths) {
        rows(lengths.length);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < length; t++) {
                mask[b][t] = t < lengths[b] ? 1f : 0f;
            }
        }
        return this;
    }

    /** The whole (B, T) mask, for answers with gaps (the other speaker's turns of a dialogue). */
    public Experiences mask(float[][] mask) {
        copy(mask, this.mask);
        return this;
    }

    /** One reward-model score per sequence. */
    public Experiences scores(double... scores) {
        rows(scores.length);
        for (int b = 0; b < batch; b++) {
            this.scores[b] = (float) scores[b];
        }
        return this;
    }

    /** The critic's value, the same at every position. */
    public Experiences values(double value) {
        for (float[] row : values) {
            Arrays.fill(row, (float) value);
        }
        return this;
    }

    /** The critic's values, (B, T). */
    public Experiences values(float[][] values) {
        copy(values, this.values);
        return this;
    }

    /** Log-probabilities of the actor and of the reference, (B, T) each. */
    public Experiences logProbs(float[][] actor, float[][] reference) {
        copy(actor, logProbs);
        copy(reference, refLogProbs);
        return this;
    }

    /** The actor's log-probability exceeds the reference's by {@code kl} at every position (a uniform k1 KL). */
    public Experiences uniformKl(double kl) {
        for (int b = 0; b < batch; b++) {
            Arrays.fill(logProbs[b], (float) -1.0);
            Arrays.fill(refLogProbs[b], (float) (-1.0 - kl));
        }
        return this;
    }

    /** Per-token rewards of a reward function (TrlX), (B, T). */
    public Experiences tokenScores(float[][] tokenScores) {
        this.tokenScores = new float[batch][length];
        copy(tokenScores, this.tokenScores);
        return this;
    }

    public Experience build() {
        return new Experience(deep(logProbs), deep(refLogProbs), deep(values), scores.clone(),
                tokenScores == null ? null : deep(tokenScores), deep(mask));
    }

    private void rows(int n) {
        if (n != batch) {
            throw new IllegalArgumentException("expected " + batch + " values (one per sequence), got " + n);
        }
    }

    private void copy(float[][] from, float[][] to) {
        if (from.length != batch || Arrays.stream(from).anyMatch(r -> r.length != length)) {
            throw new IllegalArgumentException("expected a (" + batch + ", " + length + ") array");
        }
        for (int b = 0; b < batch; b++) {
            System.arraycopy(from[b], 0, to[b], 0, length);
        }
    }

    private static float[][] deep(float[][] a) {
        float[][] out = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }
}
