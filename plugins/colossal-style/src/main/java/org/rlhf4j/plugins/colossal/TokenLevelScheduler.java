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
 * Coati v2's token-level update (ColossalAI 4f9953be3, applications/ColossalChat/coati):
 * <pre>
 *   r_t  = -kl_coef * (log pi - log ref)_t + clamp(score, +-clip_reward)  on every answer token   models/utils.py 13-38
 *   A, R = GAE(r, V; gamma = 1, lambda = 0.95), R = A + V              experience_maker/naive.py 63-84; loss.py 86
 * </pre>
 * Upstream adds the score to the first {@code mask.sum()} positions; its action mask is always a prefix of the
 * answer columns (generation up to the stop token), where that is the same as the positions the mask marks. Here the
 * score goes on the marked positions, so an answer with gaps (the engine's multi-turn rows) places it on its own
 * tokens only. Losses: {@link CoatiLosses#v2Policy} and {@link CoatiLosses#v2Value}.
 */
@Extension
@ExtensionName("colossal.token-level")
public final class TokenLevelScheduler implements PpoScheduler {

    private final double clipReward;
    private final double gamma;
    private final double lambda;
    private final LossSettings losses;
    private final LossSettings valueLosses;

    @Inject
    public TokenLevelScheduler(@Settings Config settings) {
        this.clipReward = settings.getDouble("clip-reward");
        this.gamma = settings.getDouble("gamma");
        this.lambda = settings.getDouble("lambda");
        this.losses = CoatiLosses.v2Policy(settings);
        this.valueLosses = CoatiLosses.v2Value(settings);
    }

    @Override
    public Advantages schedule(Experience e, double klCoef) {
        float[][] rewards = PpoMath.klPenalty(e, klCoef);                                  // (B, T)
        for (int b = 0; b < rewards.length; b++) {
            float score = (float) PpoMath.clip(e.scores()[b], clipReward);
            for (int t = 0; t < rewards[b].length; t++) {
                rewards[b][t] += score * e.mask()[b][t];
            }
        }
        return PpoMath.gae(rewards, e.values(), e.mask(), gamma, lambda);
    }

    @Override
    public LossSettings losses() {
        return losses;
    }

    @Override
    public LossSettings valueLosses() {
        return valueLosses;
    }
}
