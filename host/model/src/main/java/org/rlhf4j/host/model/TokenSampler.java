package org.rlhf4j.host.model;

import java.util.Arrays;
import java.util.Random;

/**
 * Picks the next token from one row of logits: temperature, then top-k, then top-p (nucleus), then a draw.
 * Pure Java on the host: a row is a few thousand floats, and a seeded {@link Random} makes runs repeat.
 */
public final class TokenSampler {

    private final double temperature;
    private final int topK;
    private final double topP;
    private final Random random;

    /**
     * @param temperature 0 picks the most likely token (greedy); 1 samples the model's distribution
     * @param topK keep only the k most likely tokens; 0 keeps all
     * @param topP keep the smallest set of most likely tokens whose probability reaches p; 1 keeps all
     */
    public TokenSampler(double temperature, int topK, double topP, long seed) {
        if (temperature < 0 || topK < 0 || topP <= 0 || topP > 1) {
            throw new IllegalArgumentException("bad sampling settings: temperature " + temperature + ", top-k " + topK + ", top-p " + topP);
        }
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
        this.random = new Random(seed);
    }

    /** The chosen token id from {@code logits[offset .. offset + vocab)}. */
    public int sample(float[] logits, int offset, int vocab) {
        if (temperature == 0) {
            int best = 0;
            for (int i = 1; i < vocab; i++) {
                if (logits[offset + i] > logits[offset + best]) {
                    best = i;
                }
            }
            return best;
        }
        double[] p = new double[vocab];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            p[i] = logits[offset + i] / temperature;
            max = Math.max(max, p[i]);
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            p[i] = Math.exp(p[i] - max);
            sum += p[i];
        }
        Integer[] order = null;
        if (topK > 0 && topK < vocab || topP < 1) {
            order = new Integer[vocab];
            for (int i = 0; i < vocab; i++) {
                order[i] = i;
            }
            double[] q = p;
            Arrays.sort(order, (a, b) -> Double.compare(q[b], q[a]));
            int keep = topK > 0 ? Math.min(topK, vocab) : vocab;
            double cum = 0;
            double kept = 0;
            for (int r = 0; r < keep; r++) {
                cum += p[order[r]] / sum;
                kept += p[order[r]];
                if (cum >= topP) {
                    keep = r + 1;
                    break;
                }
            }
            for (int r = keep; r < vocab; r++) {
                p[order[r]] = 0;
            }
            sum = kept;
        }
        double u = random.nextDouble() * sum;
        double acc = 0;
        int last = 0;
        for (int i = 0; i < vocab; i++) {
            if (p[i] > 0) {
                acc += p[i];
                last = i;
                if (u < acc) {
                    return i;
                }
            }
        }
        return last;
    }

    /** log softmax(logits)[token]: the model's own log-probability of a token (temperature 1, unfiltered). */
    public static float logProb(float[] logits, int offset, int vocab, int token) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += Math.exp(logits[offset + i] - max);
        }
        return (float) (logits[offset + token] - max - Math.log(sum));
    }
}
