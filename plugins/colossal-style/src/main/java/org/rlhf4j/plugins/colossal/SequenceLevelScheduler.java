package org.rlhf4j.plugins.colossal;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.Experience;
import org.rlhf4j.api.ppo.LossSettings;
import org.rlhf4j.api.ppo.PpoMath;
import org.rlhf4j.api.ppo.PpoScheduler;

/**
 * Coati v1's sequence-level update (ColossalAI 7b9b86441, coati/experience_maker/naive.py and
 * coati/models/utils.compute_reward): the whole answer is one action.
 * <pre>
 *   kl_b  = masked_mean((exp(l) - 1) - l),  l = log pi - log ref    PpoMath.coatiSequenceKl
 *   R_b   = score_b - kl_coef * kl_b                                 one reward per sequence
 *   A_b   = R_b - V_b                                                V_b: the critic's one value
 *   A_t   = A_b on every answer token, returns_t = R_b               no GAE
 * </pre>
 * Issue #3374 of ColossalAI reports this unit hurting multi-turn dialogue; the comparison shows why.
 */
@Extension
@ExtensionName("colossal.sequence-level")
public final class SequenceLevelScheduler implements PpoScheduler {

    private final LossSettings losses;

    @Inject
    public SequenceLevelScheduler(@Settings Config settings) {
        this.losses = CoatiLosses.from(settings);
    }

    @Override
    public Advantages schedule(Experience e, double klCoef) {
        int batch = e.batchSize();
        int len = e.length();
        double[] kl = PpoMath.coatiSequenceKl(e.logProbs(), e.refLogProbs(), e.mask());
        float[][] rewards = new float[batch][len];
        float[][] adv = new float[batch][len];
        float[][] ret = new float[batch][len];
        for (int b = 0; b < batch; b++) {
            float[] mask = e.mask()[b];
            int last = PpoMath.lastIndex(mask);
            if (last < 0) {
                continue;
            }
            double reward = e.scores()[b] - klCoef * kl[b];
            double advantage = reward - e.values()[b][firstIndex(mask)];
            rewards[b][last] = (float) reward;
            for (int t = 0; t < len; t++) {
                if (mask[t] > 0) {
                    adv[b][t] = (float) advantage;
                    ret[b][t] = (float) reward;
                }
            }
        }
        return new Advantages(rewards, adv, ret);
    }

    /** The first answer position of a row with at least one. */
    private static int firstIndex(float[] mask) {
        int t = 0;
        while (mask[t] <= 0) {
            t++;
        }
        return t;
    }

    @Override
    public LossSettings losses() {
        return losses;
    }
}
