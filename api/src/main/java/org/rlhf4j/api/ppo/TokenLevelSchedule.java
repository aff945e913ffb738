package org.rlhf4j.api.ppo;

import com.typesafe.config.Config;
import org.rlhf4j.api.ConfigProblem;

/**
 * InstructGPT's token-level PPO schedule, which DeepSpeed-Chat's (dschat/rlhf/ppo_trainer.py, compute_rewards and
 * get_advantages_and_returns) and the host's built-in one both are, with their own defaults:
 * <pre>
 *   r_t  = -kl_coef * (log pi - log ref)_t     on every answer token
 *   r_T += score                               at the last answer token (clamped to +-clipReward when it is > 0)
 *   A, R = GAE(r, V; gamma, lambda)            returns = A + V, no whitening
 * </pre>
 * trained with the clipped actor loss ({@code cliprange}) and the clipped critic loss ({@code cliprangeValue}).
 * A scheduler reads it from its settings block with {@link #from} and delegates to it.
 *
 * @since 0.2.0
 */
public record TokenLevelSchedule(double clipReward, double gamma, double lambda, double cliprange, double cliprangeValue) {

    /**
     * From a block with {@code clip-reward}, {@code gamma}, {@code lambda}, {@code cliprange}, {@code cliprange-value};
     * {@code clipRequired}: a clip-reward of 0 (no clamp) is refused, as a system that always clamps does.
     */
    public static TokenLevelSchedule from(Config c, boolean clipRequired) {
        TokenLevelSchedule s = new TokenLevelSchedule(c.getDouble("clip-reward"), c.getDouble("gamma"), c.getDouble("lambda"),
                c.getDouble("cliprange"), c.getDouble("cliprange-value"));
        if (clipRequired ? !(s.clipReward > 0) : !(s.clipReward >= 0)) {
            throw new ConfigProblem(c, "clip-reward", clipRequired ? "must be > 0"
                    : "must be >= 0 (0 for no clip), got " + s.clipReward);
        }
        if (s.gamma < 0 || s.gamma > 1 || s.lambda < 0 || s.lambda > 1) {
            throw new ConfigProblem(c, "gamma", "gamma and lambda must lie in [0, 1]");
        }
        if (!(s.cliprange > 0) || !(s.cliprangeValue > 0)) {
            throw new ConfigProblem(c, "cliprange", "cliprange and cliprange-value must be > 0");
        }
        return s;
    }

    /** The rewards placed as above, and GAE's advantages and returns. */
    public Advantages schedule(Experience e, double klCoef) {
        float[][] rewards = PpoMath.klPenaltyWithLastTokenScore(e, klCoef, clipReward);
        return PpoMath.gae(rewards, e.values(), e.mask(), gamma, lambda);
    }

    /** The clipped actor and critic losses of a separate critic. */
    public LossSettings losses() {
        return LossSettings.standard(cliprange, cliprangeValue);
    }
}
