package org.rlhf4j.api.ppo;

/**
 * The rollout-time math of PPO on plain (B, T) arrays, shared by every plugin: masked statistics,
 * whitening, KL estimates, reward placement and GAE. Pure functions, no state, no gradients.
 *
 * <p>References: TRL's core.py (masked_mean, masked_var, whiten), DeepSpeed-Chat's ppo_trainer.py
 * (compute_rewards, get_advantages_and_returns), Schulman et al. 2015 (GAE), Schulman's "Approximating
 * KL divergence" note (k1, k2, k3), TrlX's and Coati v1's approximate KL (each estimator's javadoc names its
 * source). Conventions: {@code mask[b][t]} is 1 on answer tokens the actor produced.
 *
 * @since 0.1.0
 */
public final class PpoMath {

    private PpoMath() {
    }

    /** Mean of {@code x} over the positions where {@code mask} is 1 (0 when the mask is empty). */
    public static double maskedMean(float[][] x, float[][] mask) {
        double sum = 0;
        double n = 0;
        for (int b = 0; b < x.length; b++) {
            for (int t = 0; t < x[b].length; t++) {
                sum += (double) x[b][t] * mask[b][t];
                n += mask[b][t];
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    /** Variance over the masked positions, with Bessel's correction as TRL's masked_var (unbiased=True). */
    public static double maskedVar(float[][] x, float[][] mask) {
        double mean = maskedMean(x, mask);
        double sq = 0;
        double n = 0;
        for (int b = 0; b < x.length; b++) {
            for (int t = 0; t < x[b].length; t++) {
                double d = x[b][t] - mean;
                sq += d * d * mask[b][t];
                n += mask[b][t];
            }
        }
        if (n < 2) {
            return 0;
        }
        return sq / n * (n / (n - 1));
    }

    /**
     * Whitening over the masked positions: (x - mean) / sqrt(var + 1e-8), zero off the mask. With
     * {@code shiftMean} false the mean is added back (TRL's whiten(shift_mean=False)).
     */
    public static float[][] whiten(float[][] x, float[][] mask, boolean shiftMean) {
        double mean = maskedMean(x, mask);
        double scale = 1.0 / Math.sqrt(maskedVar(x, mask) + 1e-8);
        float[][] out = new float[x.length][];
        for (int b = 0; b < x.length; b++) {
            out[b] = new float[x[b].length];
            for (int t = 0; t < x[b].length; t++) {
                double w = (x[b][t] - mean) * scale + (shiftMean ? 0 : mean);
                out[b][t] = (float) (w * mask[b][t]);
            }
        }
        return out;
    }

    /*
     * Estimators of KL(pi || ref) from the answer tokens, which pi sampled; l = log pi - log ref per token.
     * k1, k2 and k3 are Schulman's ("Approximating KL divergence", 2020: with r = ref / pi, k1 = -log r,
     * k2 = (log r)^2 / 2, k3 = (r - 1) - log r). Coati v1 averages k3 over the answer ({@link #coatiSequenceKl}).
     * TrlX uses (exp(l) - 1) - l instead, which is k3 with pi and ref swapped: non-negative and equal to k2 and k3 to
     * second order in l, but biased, its expectation under pi being chi^2(pi || ref) - KL(pi || ref).
     */

    /** Schulman's k1, per token: l = log pi - log ref; unbiased, can be negative; zero off the mask. */
    public static float[][] klK1(float[][] logProbs, float[][] refLogProbs, float[][] mask) {
        float[][] out = new float[logProbs.length][];
        for (int b = 0; b < logProbs.length; b++) {
            out[b] = new float[logProbs[b].length];
            for (int t = 0; t < out[b].length; t++) {
                out[b][t] = (logProbs[b][t] - refLogProbs[b][t]) * mask[b][t];
            }
        }
        return out;
    }

    /** Schulman's k2, per token: l^2 / 2; biased, never negative, low variance; zero off the mask. */
    public static float[][] klK2(float[][] logProbs, float[][] refLogProbs, float[][] mask) {
        float[][] out = new float[logProbs.length][];
        for (int b = 0; b < logProbs.length; b++) {
            out[b] = new float[logProbs[b].length];
            for (int t = 0; t < out[b].length; t++) {
                double l = logProbs[b][t] - refLogProbs[b][t];
                out[b][t] = (float) (l * l / 2 * mask[b][t]);
            }
        }
        return out;
    }

    /** Schulman's k3, per token: (exp(-l) - 1) + l; unbiased and never negative; zero off the mask. */
    public static float[][] klK3(float[][] logProbs, float[][] refLogProbs, float[][] mask) {
        float[][] out = new float[logProbs.length][];
        for (int b = 0; b < logProbs.length; b++) {
            out[b] = new float[logProbs[b].length];
            for (int t = 0; t < out[b].length; t++) {
                double r = refLogProbs[b][t] - logProbs[b][t];
                out[b][t] = (float) ((Math.exp(r) - r - 1) * mask[b][t]);
            }
        }
        return out;
    }

    /**
     * TrlX's KL per sequence: the sum over its answer tokens of (exp(l) - 1) - l. TrlX computes it in
     * make_experience (trlx/trainer/accelerate_ppo_trainer.py: {@code kl = log_ratio.exp() - 1 - log_ratio},
     * {@code mean_kl = kl.sum(1).mean()}) and feeds the mean over sequences to its adaptive KL controller; the
     * same term between the new and the old policy is the {@code approx_kl} of trlx/models/modeling_ppo.py.
     */
    public static double[] trlxSequenceKl(float[][] logProbs, float[][] refLogProbs, float[][] mask) {
        double[] out = new double[logProbs.length];
        for (int b = 0; b < logProbs.length; b++) {
            for (int t = 0; t < logProbs[b].length; t++) {
                double l = logProbs[b][t] - refLogProbs[b][t];
                out[b] += expMinusOneMinus(l) * mask[b][t];
            }
        }
        return out;
    }

    /**
     * Coati v1's KL per sequence: the mean over its answer tokens of Schulman's k3, (exp(r) - 1) - r with
     * r = log ref - log pi (ColossalAI 7b9b86441, applications/Chat/coati/models/utils.py lines 7-26,
     * {@code log_ratio = log_probs_base - log_probs}), divided by n + 1e-8 as its masked_mean (lines 64-69); 0 for an
     * empty row. Not TrlX's term: at l = log pi - log ref = 3 nats per token it is 2.05, TrlX's 16.1.
     */
    public static double[] coatiSequenceKl(float[][] logProbs, float[][] refLogProbs, float[][] mask) {
        float[][] k3 = klK3(logProbs, refLogProbs, mask);
        double[] sums = sequenceSums(k3, mask);
        double[] n = sequenceSums(mask, mask);
        double[] out = new double[logProbs.length];
        for (int b = 0; b < out.length; b++) {
            out[b] = sums[b] / (n[b] + 1e-8);
        }
        return out;
    }

    /** (exp(l) - 1) - l, the term of TrlX's KL. */
    private static double expMinusOneMinus(double l) {
        return (Math.exp(l) - 1) - l;
    }

    /** Per sequence, the sum of {@code x} over its masked positions. */
    public static double[] sequenceSums(float[][] x, float[][] mask) {
        double[] out = new double[x.length];
        for (int b = 0; b < x.length; b++) {
            for (int t = 0; t < x[b].length; t++) {
                out[b] += (double) x[b][t] * mask[b][t];
            }
        }
        return out;
    }

    /** The last position of a row whose mask is 1, or -1 when there is none. */
    public static int lastIndex(float[] maskRow) {
        for (int t = maskRow.length - 1; t >= 0; t--) {
            if (maskRow[t] > 0) {
                return t;
            }
        }
        return -1;
    }

    /**
     * Each row's mask with the position after its last masked one added, when the row has room for it: the slice
     * {@code [start, start + mask.sum + 1)} that DeepSpeed-Chat (ppo_trainer.py {@code ends}) and TrlX
     * (accelerate_ppo_trainer.py:471) both take, one past the answer.
     *
     * @since 0.2.2
     */
    public static float[][] throughEnd(float[][] mask) {
        float[][] out = new float[mask.length][];
        for (int b = 0; b < mask.length; b++) {
            out[b] = mask[b].clone();
            int last = lastIndex(mask[b]);
            if (last >= 0 && last + 1 < out[b].length) {
                out[b][last + 1] = 1f;
            }
        }
        return out;
    }

    /** The per-token KL penalty -coef x (log pi - log ref) of DeepSpeed-Chat and Coati v2, zero off the mask. */
    public static float[][] klPenalty(Experience e, double coef) {
        float[][] k1 = klK1(e.logProbs(), e.refLogProbs(), e.mask());
        for (float[] row : k1) {
            for (int t = 0; t < row.length; t++) {
                row[t] = (float) (-coef * row[t]);
            }
        }
        return k1;
    }

    /**
     * InstructGPT's reward placement, on which DeepSpeed-Chat's and the host's token-level schedules agree: the
     * per-token KL penalty ({@link #klPenalty}) with each sequence's score added at its last answer token, clamped
     * to +-{@code clipReward} first when {@code clipReward > 0}.
     */
    public static float[][] klPenaltyWithLastTokenScore(Experience e, double klCoef, double clipReward) {
        float[][] rewards = klPenalty(e, klCoef);
        for (int b = 0; b < rewards.length; b++) {
            int last = lastIndex(e.mask()[b]);
            if (last >= 0) {
                rewards[b][last] += (float) (clipReward > 0 ? clip(e.scores()[b], clipReward) : e.scores()[b]);
            }
        }
        return rewards;
    }

    /** Adds the per-token scores of a reward function (TrlX), when the experience has them. */
    public static void addTokenScores(float[][] rewards, Experience e) {
        if (e.tokenScores() == null) {
            return;
        }
        for (int b = 0; b < rewards.length; b++) {
            for (int t = 0; t < rewards[b].length; t++) {
                rewards[b][t] += e.tokenScores()[b][t] * e.mask()[b][t];
            }
        }
    }

    /**
     * Generalised advantage estimation over the masked positions, backwards in time. Positions off the
     * mask (padding, and the gaps of a multi-turn answer) are skipped: the next action position's value
     * bootstraps the previous one. Returns = advantages + values; both zero off the mask.
     */
    public static Advantages gae(float[][] rewards, float[][] values, float[][] mask, double gamma, double lambda) {
        int batch = rewards.length;
        float[][] adv = new float[batch][];
        float[][] ret = new float[batch][];
        for (int b = 0; b < batch; b++) {
            int len = rewards[b].length;
            adv[b] = new float[len];
            ret[b] = new float[len];
            double nextValue = 0;
            double lastGae = 0;
            for (int t = len - 1; t >= 0; t--) {
                if (mask[b][t] == 0) {
                    continue;
                }
                double delta = rewards[b][t] + gamma * nextValue - values[b][t];
                lastGae = delta + gamma * lambda * lastGae;
                adv[b][t] = (float) lastGae;
                ret[b][t] = (float) (lastGae + values[b][t]);
                nextValue = values[b][t];
            }
        }
        return new Advantages(rewards, adv, ret);
    }

    /** {@code v} clamped to [-limit, limit]. */
    public static double clip(double v, double limit) {
        return Math.max(-limit, Math.min(limit, v));
    }

    /**
     * REINFORCE's returns: for each answer position the discounted sum of the rewards from there to the end,
     * R_t = r_t + gamma R_{t+1}, over the masked positions (zero off the mask). OpenRLHF's get_cumulative_returns
     * (3c3be623, openrlhf/trainer/ppo_utils/experience_maker.py lines 380-410).
     *
     * @since 0.2.4
     */
    public static float[][] discountedReturns(float[][] rewards, float[][] mask, double gamma) {
        float[][] out = new float[rewards.length][];
        for (int b = 0; b < rewards.length; b++) {
            out[b] = new float[rewards[b].length];
            double acc = 0;
            for (int t = rewards[b].length - 1; t >= 0; t--) {
                acc = rewards[b][t] * mask[b][t] + gamma * acc;
                out[b][t] = (float) acc;
            }
            for (int t = 0; t < out[b].length; t++) {
                out[b][t] *= mask[b][t];
            }
        }
        return out;
    }

    /**
     * Normalisation over every masked token of the batch, with the population variance: (x - mean) x
     * rsqrt(max(var, 1e-8)), or only the mean taken off when {@code byStd} is false; zero off the mask. OpenRLHF's
     * advantage normalisation for gae, reinforce and reinforce_baseline (3c3be623,
     * openrlhf/trainer/ppo_utils/experience_maker.py lines 315-328; no_std_norm turns off the division).
     *
     * @since 0.2.4
     */
    public static float[][] tokenNormalised(float[][] x, float[][] mask, boolean byStd) {
        double mean = maskedMean(x, mask);
        double sq = 0;
        double n = 0;
        for (int b = 0; b < x.length; b++) {
            for (int t = 0; t < x[b].length; t++) {
                sq += (x[b][t] - mean) * (x[b][t] - mean) * mask[b][t];
                n += mask[b][t];
            }
        }
        double scale = byStd && n > 0 ? 1.0 / Math.sqrt(Math.max(sq / n, 1e-8)) : 1.0;
        float[][] out = new float[x.length][];
        for (int b = 0; b < x.length; b++) {
            out[b] = new float[x[b].length];
            for (int t = 0; t < x[b].length; t++) {
                out[b][t] = (float) ((x[b][t] - mean) * scale * mask[b][t]);
            }
        }
        return out;
    }
}
