package org.rlhf4j.plugins.deepspeed;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.Experience;
import org.rlhf4j.api.ppo.LossSettings;
import org.rlhf4j.api.ppo.PpoMath;
import org.rlhf4j.api.ppo.PpoScheduler;

/**
 * DeepSpeed-Chat's step-3 reward schedule (dschat/rlhf/ppo_trainer.py, compute_rewards and
 * get_advantages_and_returns):
 * <pre>
 *   r_t  = -kl_coef * (log pi - log ref)_t              on every answer token
 *   r_T += clamp(score, -clip_reward, +clip_reward)     at the LAST answer token only
 *   A, R = GAE(r, V; gamma = 1, lambda = 0.95)          no whitening; returns = A + V
 * </pre>
 * The losses are the clipped actor loss (cliprange 0.2) and the clipped critic loss (cliprange_value
 * 0.2) of a separate critic.
 */
@Extension
@ExtensionName("deepspeed.token-level")
public final class TokenLevelScheduler implements PpoScheduler {

    /** The scheduler's settings, from {@code deepspeed.token-level}. */
    record TokenLevelSettings(double clipReward, double gamma, double lambda, double cliprange, double cliprangeValue) {
        static TokenLevelSettings from(Config c) {
            TokenLevelSettings s = new TokenLevelSettings(c.getDouble("clip-reward"), c.getDouble("gamma"),
                    c.getDouble("lambda"), c.getDouble("cliprange"), c.getDouble("cliprange-value"));
            if (s.clipReward <= 0) {
                throw new ConfigProblem(c, "clip-reward", "must be > 0");
            }
            if (s.gamma < 0 || s.gamma > 1 || s.lambda < 0 || s.lambda > 1) {
                throw new ConfigProblem(c, "gamma", "gamma and lambda must lie in [0, 1]");
            }
            return s;
        }
    }

    private final TokenLevelSettings settings;

    @Inject
    public TokenLevelScheduler(@Settings Config settings) {
        this.settings = TokenLevelSettings.from(settings);
    }

    @Override
    public Advantages schedule(Experience e, double klCoef) {
        float[][] rewards = PpoMath.klPenaltyWithLastTokenScore(e, klCoef, settings.clipReward());
        return PpoMath.gae(rewards, e.values(), e.mask(), settings.gamma(), settings.lambda());
    }

    @Override
    public LossSettings losses() {
        return LossSettings.standard(settings.cliprange(), settings.cliprangeValue());
    }
}
