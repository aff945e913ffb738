package org.rlhf4j.api.ppo;

/**
 * Group-relative baselines of the critic-free methods: each prompt's K answers ({@link Experience#groupSize()}, rows
 * {@code g*K} to {@code g*K + K - 1}) are scored against each other instead of against a value function. Every
 * function takes the B scores and K and returns one number per row; none divides by zero (a group whose scores are
 * all equal gets 0 everywhere).
 *
 * <p>References: OpenRLHF 3c3be623, openrlhf/trainer/ppo_utils/experience_maker.py lines 264-270 (rloo,
 * reinforce_baseline and dr_grpo, group_norm); RLOO (Ahmadian et al. 2024); GRPO (Shao et al. 2024); Dr. GRPO (Liu et
 * al. 2025).
 *
 * @since 0.2.4
 */
public final class GroupBaselines {

    private GroupBaselines() {
    }

    /** r - mean of its group: REINFORCE with a group-mean baseline (OpenRLHF's reinforce_baseline, Dr. GRPO). */
    public static float[] minusGroupMean(float[] scores, int k) {
        check(scores, k);
        float[] out = new float[scores.length];
        for (int g = 0; g < scores.length; g += k) {
            double mean = mean(scores, g, k);
            for (int j = g; j < g + k; j++) {
                out[j] = (float) (scores[j] - mean);
            }
        }
        return out;
    }

    /**
     * (r - mean) / (std + eps), mean and std over its group, std with Bessel's correction as torch.std: GRPO's
     * group-normalised advantage (OpenRLHF's group_norm: eps 1e-9; TRL and Coati: 1e-4).
     */
    public static float[] groupNormalised(float[] scores, int k, double eps) {
        check(scores, k);
        if (k < 2) {
            throw new IllegalArgumentException("a group standard deviation needs K >= 2 answers per prompt, got " + k);
        }
        float[] out = new float[scores.length];
        for (int g = 0; g < scores.length; g += k) {
            double mean = mean(scores, g, k);
            double sq = 0;
            for (int j = g; j < g + k; j++) {
                sq += (scores[j] - mean) * (scores[j] - mean);
            }
            double std = Math.sqrt(sq / (k - 1));
            for (int j = g; j < g + k; j++) {
                out[j] = (float) ((scores[j] - mean) / (std + eps));
            }
        }
        return out;
    }

    /** r - (sum of the group's other scores) / (K - 1): RLOO's leave-one-out baseline. */
    public static float[] leaveOneOut(float[] scores, int k) {
        check(scores, k);
        if (k < 2) {
            throw new IllegalArgumentException("a leave-one-out baseline needs K >= 2 answers per prompt, got " + k);
        }
        float[] out = new float[scores.length];
        for (int g = 0; g < scores.length; g += k) {
            double sum = mean(scores, g, k) * k;
            for (int j = g; j < g + k; j++) {
                out[j] = (float) (scores[j] - (sum - scores[j]) / (k - 1));
            }
        }
        return out;
    }

    private static double mean(float[] scores, int from, int k) {
        double s = 0;
        for (int j = from; j < from + k; j++) {
            s += scores[j];
        }
        return s / k;
    }

    private static void check(float[] scores, int k) {
        if (k < 1 || scores.length % k != 0) {
            throw new IllegalArgumentException(scores.length + " scores do not split into groups of " + k);
        }
    }
}
