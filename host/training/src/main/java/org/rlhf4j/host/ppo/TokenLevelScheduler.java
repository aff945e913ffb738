package org.rlhf4j.host.ppo;

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
 * The host's built-in PPO schedule ({@code token-level}), the one of Ziegler et al. 2019 and InstructGPT (Ouyang
 * et al. 2022, eq. 2) that every plugin refines:
 * <pre>
 *   r_t  = -kl_coef * (log pi - log ref)_t     on every answer token
 *   r_T += score                               at the last answer token (clamped to +-clip-reward when it is > 0)
 *   A, R = GAE(r, V; gamma, lambda)            returns = A + V, no whitening
 * </pre>
 * trained with the clipped actor loss and the clipped critic loss of a separate critic. Settings:
 * {@code token-level.*} (gamma 1, lambda 0.95, cliprange 0.2 for both losses, no reward clip).
 * The plugins' variants (deepspeed.token-level clamps at 5, trlx.token-level scales and whitens, ...) are chosen
 * with {@code ppo.scheduler}.
 */
@Extension
@ExtensionName("token-level")
public final class TokenLevelScheduler implements PpoScheduler {

    /** The schedule's settings, from {@code token-level}. */
    record TokenLevelSettings(double clipReward, double gamma, double lambda, double cliprange, double cliprangeValue) {
        static TokenLevelSettings from(Config c) {
            TokenLevelSettings s = new TokenLevelSettings(c.getDouble("clip-reward"), c.getDouble("gamma"),
                    c.getDouble("lambda"), c.getDouble("cliprange"), c.getDouble("cliprange-value"));
            if (s.clipReward < 0) {
                throw new ConfigProblem(c, "clip-reward", "must be >= 0 (0 for no clip), got " + s.clipReward);
            }
            if (s.gamma < 0 || s.gamma > 1 || s.lambda < 0 || s.lambda > 1) {
                throw new ConfigProblem(c, "gamma", "gamma and lambda must lie in [0, 1]");
            }
            if (s.cliprange <= 0 || s.cliprangeValue <= 0) {
                throw new ConfigProblem(c, "cliprange", "cliprange and cliprange-value must be > 0");
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
