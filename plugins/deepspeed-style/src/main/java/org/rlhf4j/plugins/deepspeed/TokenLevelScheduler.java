package org.rlhf4j.plugins.deepspeed;

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
 * DeepSpeed-Chat's step-3 reward schedule (dschat/rlhf/ppo_trainer.py, compute_rewards and
 * get_advantages_and_returns):
 * <pre>
 *   r_t  = -kl_coef * (log pi - log ref)_t              on every answer token
 *   r_T += clamp(score, -clip_reward, +clip_reward)     at the LAST answer token only
 *   A, R = GAE(r, V; gamma = 1, lambda = 0.95)          no whitening; returns = A + V
 * </pre>
 * The losses are the clipped actor loss (cliprange 0.2) and the clipped critic loss (cliprange_value
 * 0.2) of a separate critic. The arithmetic is the api's {@link TokenLevelSchedule}, which the host's built-in
 * {@code token-level} shares; this plugin gives DeepSpeed-Chat's defaults and requires the clamp.
 */
@Extension
@ExtensionName("deepspeed.token-level")
public final class TokenLevelScheduler implements PpoScheduler {

    private final TokenLevelSchedule schedule;

    @Inject
    public TokenLevelScheduler(@Settings Config settings) {
        this.schedule = TokenLevelSchedule.from(settings, true);
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
