package org.rlhf4j.plugins.deepspeed;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.Locale;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.Experience;
import org.rlhf4j.api.ppo.LossSettings;
import org.rlhf4j.api.ppo.PpoMath;
import org.rlhf4j.api.ppo.PpoScheduler;
import org.rlhf4j.api.ppo.TokenLevelSchedule;

/**
 * DeepSpeed-Chat's step-3 reward schedule (DeepSpeedExamples 83757d9c, applications/DeepSpeed-Chat/dschat/rlhf/
 * ppo_trainer.py: compute_rewards lines 181-194, the zeroing in train_rlhf lines 213-222, get_advantages_and_returns
 * lines 308-320):
 * <pre>
 *   end  = last answer token + 1 (the first padding position; the last token when the answer fills the row)
 *   r_t  = -kl_coef * (log pi - log ref)_t              on every answer token and at end; 0 after end
 *   r_end += clamp(score, -clip_reward, +clip_reward)
 *   A, R = GAE(r, V; gamma = 1, lambda = 0.95)          over the answer and end; no whitening; returns = A + V
 * </pre>
 * {@code ends = start + action_mask[:, start:].sum(1) + 1} makes the slice {@code rewards[j, start:ends[j]]} one longer
 * than the answer, so its {@code [-1]} is the first padding position, whose KL term and critic value are kept: with
 * lambda = 0.95 the last answer token's advantage then carries 0.95 of the score. That is upstream's behaviour
 * (discussed in DeepSpeedExamples pull request #672, closed unmerged) and this plugin's default
 * ({@code score-placement = after-last-token}); {@code last-token} is InstructGPT's placement, on the last answer
 * token, the host's built-in schedule. The engine keeps the numbers of that one position after each answer for it.
 *
 * <p>The losses are the clipped actor loss (cliprange 0.2) and the clipped critic loss (cliprange_value 0.2) of a
 * separate critic, token means (actor_loss_fn and critic_loss_fn, lines 282-306). The arithmetic is the api's
 * {@link TokenLevelSchedule}.
 */
@Extension
@ExtensionName("deepspeed.token-level")
public final class TokenLevelScheduler implements PpoScheduler {

    private final TokenLevelSchedule schedule;
    private final boolean afterLastToken;

    @Inject
    public TokenLevelScheduler(@Settings Config settings) {
        this.schedule = TokenLevelSchedule.from(settings, true);
        String placement = settings.getString("score-placement").toLowerCase(Locale.ROOT);
        if (!placement.equals("after-last-token") && !placement.equals("last-token")) {
            throw new ConfigProblem(settings, "score-placement",
                    "must be after-last-token (DeepSpeed-Chat's) or last-token (InstructGPT's), got '" + placement + "'");
        }
        this.afterLastToken = placement.equals("after-last-token");
    }

    @Override
    public Advantages schedule(Experience e, double klCoef) {
        if (!afterLastToken) {
            return schedule.schedule(e, klCoef);
        }
        Experience throughEnd = new Experience(e.logProbs(), e.refLogProbs(), e.values(), e.scores(), e.tokenScores(),
                PpoMath.throughEnd(e.mask()));
        return schedule.schedule(throughEnd, klCoef);
    }

    @Override
    public LossSettings losses() {
        return schedule.losses();
    }
}
