package org.rlhf4j.host.ppo;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.Experience;
import org.rlhf4j.api.ppo.LossSettings;
import org.rlhf4j.api.ppo.PpoScheduler;
import org.rlhf4j.api.ppo.TokenLevelSchedule;

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

    private final TokenLevelSchedule schedule;

    @Inject
    public TokenLevelScheduler(@Settings Config settings) {
        this.schedule = TokenLevelSchedule.from(settings, false);
    }

    @Override
    public Advantages schedule(Experience e, double klCoef) {
        return schedule.schedule(e, klCoef);
    }

    @Override
    public LossSettings losses() {
        return schedule.losses();
    }
}
