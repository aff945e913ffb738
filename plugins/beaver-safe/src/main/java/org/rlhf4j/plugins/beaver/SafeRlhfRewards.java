package org.rlhf4j.plugins.beaver;

import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.Experience;
import org.rlhf4j.api.ppo.PpoMath;

/**
 * Safe-RLHF's per-token rewards and costs (PKU-Alignment/safe-rlhf@82743cc, safe_rlhf/algorithms/ppo_lag/trainer.py
 * lines 258-287, add_kl_divergence_regularization; the reward side alone in algorithms/ppo/trainer.py lines 106-125),
 * then GAE per critic (trainers/rl_trainer.py lines 630-651, get_advantages_and_returns, gamma 1 and gae_lambda 0.95
 * of lines 118-119):
 * <pre>
 *   rewards_t = -kl_coeff * (log pi - log ref)_t  (+ reward score at the last answer token)
 *   costs_t   = +kl_coeff * (log pi - log ref)_t  (+ cost score at the last answer token)
 *   both clamped to +-clip_range_score (50) per token
 * </pre>
 * The KL term carries opposite signs because a cost is minimised where a reward is maximised. Upstream's masks are
 * contiguous answers (prompt left padded, answer right padded), on which {@link PpoMath#gae} agrees with its
 * recursion over the masked values; a multi-turn gap, which Safe-RLHF does not have, is skipped here.
 */
final class SafeRlhfRewards {

    private SafeRlhfRewards() {
    }

    /** {@code sign} -1 for rewards, +1 for costs. */
    static Advantages schedule(Experience e, double klCoef, double sign, double clipRangeScore, double gamma, double lambda) {
        float[][] kl = PpoMath.klK1(e.logProbs(), e.refLogProbs(), e.mask());
        float[][] out = new float[kl.length][];
        for (int b = 0; b < kl.length; b++) {
            out[b] = new float[kl[b].length];
            int last = PpoMath.lastIndex(e.mask()[b]);
            for (int t = 0; t < kl[b].length; t++) {
                if (e.mask()[b][t] == 0) {
                    continue;
                }
                double v = sign * klCoef * kl[b][t] + (t == last ? e.scores()[b] : 0);
                out[b][t] = (float) PpoMath.clip(v, clipRangeScore);
            }
        }
        return PpoMath.gae(out, e.values(), e.mask(), gamma, lambda);
    }
}
