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
 * Coati v2's token-level update (ColossalAI PR #5286, 4f9953be3, coati/models/utils.compute_reward):
 * <pre>
 *   r_t  = -kl_coef * (log pi - log ref)_t + clamp(score, +-clip_reward)    on EVERY answer token
 *   A, R = GAE(r, V; gamma = 1, lambda = 0.95)
 * </pre>
 * Upstream adds the score to the first {@code mask.sum()} positions, which misplaces it when a
 * multi-turn answer has gaps; here it goes on the positions the mask marks, and nowhere else.
 */
@Extension
@ExtensionName("colossal.token-level")
public final class TokenLevelScheduler implements PpoScheduler {

    private final double clipReward;
    private final double gamma;
    private final double lambda;
    private final LossSettings losses;

    @Inject
    public TokenLevelScheduler(@Settings Config settings) {
        this.clipReward = settings.getDouble("clip-reward");
        this.gamma = settings.getDouble("gamma");
        this.lambda = settings.getDouble("lambda");
        this.losses = CoatiLosses.from(settings);
    }

    @Override
    public Advantages schedule(Experience e, double klCoef) {
        float[][] rewards = PpoMath.klPenalty(e, klCoef);
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
}
