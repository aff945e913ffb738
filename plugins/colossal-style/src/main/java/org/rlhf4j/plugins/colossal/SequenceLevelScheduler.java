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
 * Coati v1's sequence-level update (ColossalAI 7b9b86441, applications/Chat/coati): the whole answer is one action.
 * <pre>
 *   kl_b = masked_mean((exp(r) - 1) - r),  r = log ref - log pi        models/utils.py 7-26, PpoMath.coatiSequenceKl
 *   R_b  = score_b - kl_coef * kl_b   (score_b when kl_coef &lt;= 0)      models/utils.py 29-40, compute_reward
 *   V_b  = the critic's one value, at the last real token of prompt + answer   models/base/critic.py 26-34
 *   A_b  = R_b - V_b on every answer token, returns R_b; no GAE        experience_maker/naive.py 62-69
 * </pre>
 * The critic gives one value per sequence ({@link #valuePerSequence()}); the value loss trains it on R_b, one scalar
 * per sequence (trainer/ppo.py lines 174-180). Losses: {@link CoatiLosses#v1}.
 *
 * <p>ColossalAI issue #3374 (2023) reports this unit on TL;DR summarisation ("Learning to summarize from human
 * feedback"): an OPT-1.3B SFT model at ROUGE-1 0.29 fell to 0.02 after Coati's PPO, and the reporter suspected the
 * reward given per whole completion instead of per token; Coati v2 (PR #5286) moved to the token-level unit.
 */
@Extension
@ExtensionName("colossal.sequence-level")
public final class SequenceLevelScheduler implements PpoScheduler {

    private final LossSettings losses;

    @Inject
    public SequenceLevelScheduler(@Settings Config settings) {
        this.losses = CoatiLosses.v1(settings);
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
            double reward = klCoef <= 0 ? e.scores()[b] : e.scores()[b] - klCoef * kl[b];
            double advantage = reward - e.values()[b][last];   // the sequence's value, on every answer token
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

    @Override
    public boolean valuePerSequence() {
        return true;
    }

    @Override
    public LossSettings losses() {
        return losses;
    }
}
