package org.rlhf4j.api.ppo;

import java.util.Map;

/**
 * Running mean and standard deviation of every value seen so far, merged batch by batch (Chan et al.'s
 * parallel algorithm), as TrlX's RunningMoments keeps them to scale rewards. Not thread-safe.
 *
 * @since 0.1.0
 */
public final class RunningMoments {

    private double mean = 0;
    private double var = 1;
    private double std = 1;
    private double count = 1e-24;

    /** Merges a batch; returns the batch's own mean and (unbiased) standard deviation. */
    public double[] update(float[] xs) {
        int n = xs.length;
        if (n == 0) {
            return new double[] {0, 0};
        }
        double xsMean = 0;
        for (float x : xs) {
            xsMean += x;
        }
        xsMean /= n;
        double xsVar = 0; // biased, as torch.var(unbiased=False)
        for (float x : xs) {
            xsVar += (x - xsMean) * (x - xsMean);
        }
        xsVar /= n;

        double delta = xsMean - mean;
        double total = count + n;
        double newSum = xsVar * n;
        double oldSum = var * count + delta * delta * count * n / total;
        mean += delta * n / total;
        var = (oldSum + newSum) / total;
        std = Math.sqrt(var * total / (total - 1));
        count = total;
        return new double[] {xsMean, n > 1 ? Math.sqrt(xsVar * n / (n - 1)) : 0};
    }

    public double mean() {
        return mean;
    }

    public double std() {
        return std;
    }

    public double count() {
        return count;
    }

    /** For a checkpoint. */
    public Map<String, Double> state() {
        return Map.of("mean", mean, "var", var, "std", std, "count", count);
    }

    /** Restores {@link #state()}. */
    public void restore(Map<String, Double> state) {
        mean = state.get("mean");
        var = state.get("var");
        std = state.get("std");
        count = state.get("count");
    }
}
