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
 * TrlX's PPO reward schedule (CarperAI/trlx 3340c2f):
 * <pre>
 *   S      = the reward_fn's scores, (B, 1) or dense (B, T)   accelerate_ppo_trainer.py:311-341
 *   S      = clip(S, +-cliprange_reward)                      :364-365  clipping first
 *   moments.update(sum_t S)  (ref: std of sum_t S, first chunk) :368-376
 *   S      = S / std    std: running | ref | none ("ignored") :378-381  then scaling
 *   row    = the answer and one position past it              :471  ends = start + mask.sum + 1
 *   r_t    = -kl_coef * (log pi - log ref)_t on the answer    :457, :475  (0 past it: the eos is padding there)
 *   r     += S          dense: from the first answer token; (B, 1): at the row's last position   :480-492
 *   A, R   = GAE(r, V; gamma, lam) over the row               modeling_ppo.py:161-170
 *   A      = whiten(A) per training minibatch                 modeling_ppo.py:171-172, called from
 *                                                             accelerate_ppo_trainer.py:145 inside loss()
 * </pre>
 * The row runs one position past the answer's stop token: {@code attention_mask[:, start:]} counts the prompt's last
 * token, and GPT-2's pad token is its eos, so the slice ends one past the eos (an answer that fills the generated
 * length takes the score at its last token). The critic's value there is kept (the engine keeps each row's end). With
 * pad == eos, loss() masks the eos out of the policy and value losses too ({@link #trainsOnStopToken}).
 * {@code score-placement = last-token} and {@code train-stop-token = true} give InstructGPT's layout instead.
 *
 * <p>Our reward may carry a sequence score and a per-token list at once; TrlX's reward_fn returns one list per sample.
 * Both are one list here: the per-token list with the score added at the row's last position (TrlX gives the same for
 * a reward_fn returning that list). The loss is TrlX's single objective pg + vf_coef x vf (modeling_ppo.py:175-217)
 * on a value head sharing the actor's trunk, TrlX's make_head MLP h -> 2h -> ReLU -> 1 (trlx/utils/modeling.py:13-19).
 */
@Extension
@ExtensionName("trlx.token-level")
public final class TokenLevelScheduler implements PpoScheduler {

    /** How scores are scaled after clipping. */
    enum Scaling { IGNORED, RUNNING, REF }

    record TokenLevelSettings(Scaling scaleReward, double cliprangeReward, double gamma, double lambda, boolean whiten,
                              double cliprange, double cliprangeValue, double vfCoef, ValueHead valueHead,
                              boolean afterLastToken, boolean trainStopToken) {
        static TokenLevelSettings from(Config c) {
            Scaling scaling;
            try {
                scaling = Scaling.valueOf(c.getString("scale-reward").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigProblem(c, "scale-reward", "must be ignored, running or ref, got '" + c.getString("scale-reward") + "'");
            }
            ValueHead head;
            try {
                head = ValueHead.valueOf(c.getString("value-head").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigProblem(c, "value-head", "must be mlp or linear, got '" + c.getString("value-head") + "'");
            }
            String placement = c.getString("score-placement").toLowerCase(Locale.ROOT);
            if (!placement.equals("after-last-token") && !placement.equals("last-token")) {
                throw new ConfigProblem(c, "score-placement",
                        "must be after-last-token (TrlX's) or last-token (InstructGPT's), got '" + placement + "'");
            }
            return new TokenLevelSettings(scaling, c.getDouble("cliprange-reward"), c.getDouble("gamma"),
                    c.getDouble("lambda"), c.getBoolean("whiten"), c.getDouble("cliprange"),
                    c.getDouble("cliprange-value"), c.getDouble("vf-coef"), head, placement.equals("after-last-token"),
                    c.getBoolean("train-stop-token"));
        }
    }

    private final TokenLevelSettings settings;
    private final RunningMoments moments = new RunningMoments();
    private double refStd = Double.NaN;

    @Inject
    public TokenLevelScheduler(@Settings Config settings) {
        this.settings = TokenLevelSettings.from(settings);
    }

    /** Rewards, returns and the advantages before whitening: TrlX whitens them per minibatch ({@link #minibatchAdvantages}). */
    @Override
    public Advantages schedule(Experience e, double klCoef) {
        float[][] row = row(e.mask());                                                // (B, T) TrlX's element
        float[][] scores = clipAndScale(scoreList(e, row), row);                      // (B, T)
        float[][] rewards = PpoMath.klPenalty(e, klCoef);                             // (B, T), 0 off the answer
        for (int b = 0; b < rewards.length; b++) {
            for (int t = 0; t < rewards[b].length; t++) {
                rewards[b][t] += scores[b][t] * row[b][t];
            }
        }
        return PpoMath.gae(rewards, e.values(), row, settings.gamma(), settings.lambda());
    }

    /** The positions of TrlX's rollout element: the answer and, after-last-token, one position past it. */
    private float[][] row(float[][] mask) {
        return settings.afterLastToken() ? PpoMath.throughEnd(mask) : mask;
    }

    /**
     * TrlX's whiten (trlx/utils/modeling.py:200-210: torch.var_mean, unbiased, over every element) of one minibatch's
     * advantages as TrlX's loss() sees them (accelerate_ppo_trainer.py:145): the minibatch's elements padded with zeros
     * to the longest (ppo_pipeline's collate), the padding in the statistics. Off the answer the result is 0.
     */
    @Override
    public float[][] minibatchAdvantages(float[][] advantages, float[][] mask) {
        if (!settings.whiten()) {
            return advantages;
        }
        float[][] row = row(mask);
        int longest = 0;                                                              // the padded block's length
        for (float[] r : row) {
            longest = Math.max(longest, PpoMath.lastIndex(r) + 1);
        }
        float[][] block = new float[advantages.length][longest];                     // (B, longest), zero padded
        float[][] ones = new float[advantages.length][longest];
        for (int b = 0; b < advantages.length; b++) {
            for (int t = 0; t < longest; t++) {
                block[b][t] = advantages[b][t] * row[b][t];
                ones[b][t] = 1;
            }
        }
        float[][] white = PpoMath.whiten(block, ones, true);                          // (B, longest)
        float[][] out = new float[advantages.length][advantages[0].length];
        for (int b = 0; b < advantages.length; b++) {
            for (int t = 0; t < longest; t++) {
                out[b][t] = white[b][t] * mask[b][t];
            }
        }
        return out;
    }

    /** TrlX with GPT-2 (pad == eos) leaves the eos out of its losses (accelerate_ppo_trainer.py:177, 191). */
    @Override
    public boolean trainsOnStopToken() {
        return settings.trainStopToken();
    }

    /** TrlX's score list per row, (B, T): the per-token rewards, if any, with the sequence score at the row's last position. */
    static float[][] scoreList(Experience e, float[][] row) {
        float[][] s = new float[e.batchSize()][e.length()];
        for (int b = 0; b < s.length; b++) {
            if (e.tokenScores() != null) {
                for (int t = 0; t < s[b].length; t++) {
                    s[b][t] = e.tokenScores()[b][t] * e.mask()[b][t];
                }
            }
            int last = PpoMath.lastIndex(row[b]);
            if (last >= 0) {
                s[b][last] += e.scores()[b];
            }
        }
        return s;
    }

    /**
     * Clips every score to +-cliprange_reward, feeds each row's sum of clipped scores over {@code row} to the running
     * moments (the first rollout's std of those sums is the reference std), then divides every score by the chosen std.
     */
    float[][] clipAndScale(float[][] scores, float[][] row) {
        int batch = scores.length;
        float[][] out = new float[batch][];
        float[] sums = new float[batch];                                              // (B)
        for (int b = 0; b < batch; b++) {
            out[b] = new float[scores[b].length];
            double sum = 0;
            for (int t = 0; t < scores[b].length; t++) {
                double c = settings.cliprangeReward() > 0 ? PpoMath.clip(scores[b][t], settings.cliprangeReward()) : scores[b][t];
                out[b][t] = (float) c;
                sum += c * row[b][t];
            }
            sums[b] = (float) sum;
        }
        double[] batchMoments = moments.update(sums);
        if (Double.isNaN(refStd)) {
            refStd = batchMoments[1];
        }
        double std = switch (settings.scaleReward()) {
            case IGNORED -> 1.0;
            case RUNNING -> moments.std();
            case REF -> refStd;
        };
        if (std > 0 && std != 1.0) {
            for (float[] scaled : out) {
                for (int t = 0; t < scaled.length; t++) {
                    scaled[t] = (float) (scaled[t] / std);
                }
            }
        }
        return out;
    }

    /** TrlX's make_head MLP by default (modeling_ppo.py:255-256, trlx/utils/modeling.py:13-19). */
    @Override
    public ValueHead valueHead() {
        return settings.valueHead();
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
