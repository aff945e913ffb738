package org.rlhf4j.plugins.trlx;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.Experience;
import org.rlhf4j.api.ppo.LossSettings;
import org.rlhf4j.api.ppo.PpoMath;
import org.rlhf4j.api.ppo.PpoScheduler;
import org.rlhf4j.api.ppo.RunningMoments;

/**
 * TrlX's PPO reward schedule (trlx 3340c2f, accelerate_ppo_trainer.make_experience and
 * modeling_ppo.PPOConfig.get_advantages_and_returns):
 * <pre>
 *   score' = score / std           std: running (RunningMoments) | ref (first rollout) | none ("ignored")
 *   score' = clip(score', +-cliprange_reward)                    scaling first, then clipping
 *   r_t    = -kl_coef * (log pi - log ref)_t + per-token scores of a reward function, if any
 *   r_T   += score'                                              at the last answer token
 *   A, R   = GAE(r, V; gamma, lambda); A = whiten(A)             the mean is never subtracted from scores
 * </pre>
 * The loss is TrlX's single objective pg + vf_coef x vf on a value head sharing the actor's trunk.
 * TrlX whitens over the whole padded block; this whitens over answer tokens only (as TRL's masked_whiten).
 */
@Extension
@ExtensionName("trlx.token-level")
public final class TokenLevelScheduler implements PpoScheduler {

    /** How scores are scaled before clipping. */
    enum Scaling { IGNORED, RUNNING, REF }

    record TokenLevelSettings(Scaling scaleReward, double cliprangeReward, double gamma, double lambda, boolean whiten,
                              double cliprange, double cliprangeValue, double vfCoef) {
        static TokenLevelSettings from(Config c) {
            Scaling scaling;
            try {
                scaling = Scaling.valueOf(c.getString("scale-reward").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigProblem(c, "scale-reward", "must be ignored, running or ref, got '" + c.getString("scale-reward") + "'");
            }
            return new TokenLevelSettings(scaling, c.getDouble("cliprange-reward"), c.getDouble("gamma"),
                    c.getDouble("lambda"), c.getBoolean("whiten"), c.getDouble("cliprange"),
                    c.getDouble("cliprange-value"), c.getDouble("vf-coef"));
        }
    }

    private final TokenLevelSettings settings;
    private final RunningMoments moments = new RunningMoments();
    private double refStd = Double.NaN;

    @Inject
    public TokenLevelScheduler(@Settings Config settings) {
        this.settings = TokenLevelSettings.from(settings);
    }

    @Override
    public Advantages schedule(Experience e, double klCoef) {
        float[] scores = scaleAndClip(e.scores());
        float[][] rewards = PpoMath.klPenalty(e, klCoef);
        PpoMath.addTokenScores(rewards, e);
        for (int b = 0; b < rewards.length; b++) {
            int last = PpoMath.lastIndex(e.mask()[b]);
            if (last >= 0) {
                rewards[b][last] += scores[b];
            }
        }
        Advantages a = PpoMath.gae(rewards, e.values(), e.mask(), settings.gamma(), settings.lambda());
        float[][] adv = settings.whiten() ? PpoMath.whiten(a.advantages(), e.mask(), true) : a.advantages();
        return new Advantages(a.rewards(), adv, a.returns());
    }

    /** Scales (running or reference std) then clips the scores, updating the running moments. */
    float[] scaleAndClip(float[] raw) {
        double[] batch = moments.update(raw);
        if (Double.isNaN(refStd)) {
            refStd = batch[1];
        }
        double std = switch (settings.scaleReward()) {
            case IGNORED -> 1.0;
            case RUNNING -> moments.std();
            case REF -> refStd;
        };
        float[] out = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            double s = std > 0 ? raw[i] / std : raw[i];
            out[i] = (float) (settings.cliprangeReward() > 0 ? PpoMath.clip(s, settings.cliprangeReward()) : s);
        }
        return out;
    }

    @Override
    public LossSettings losses() {
        return new LossSettings(settings.cliprange(), Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
                settings.cliprangeValue(), settings.vfCoef(), true);
    }

    @Override
    public Map<String, Double> state() {
        Map<String, Double> s = new HashMap<>(moments.state());
        s.put("ref-std", refStd);
        return s;
    }

    @Override
    public void restore(Map<String, Double> state) {
        moments.restore(state);
        refStd = state.getOrDefault("ref-std", Double.NaN);
    }
}
