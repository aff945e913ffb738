package org.rlhf4j.plugins.openrlhf;

import com.typesafe.config.Config;
import java.util.Locale;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.Experience;
import org.rlhf4j.api.ppo.GroupBaselines;
import org.rlhf4j.api.ppo.LossSettings;
import org.rlhf4j.api.ppo.PpoMath;
import org.rlhf4j.api.ppo.PpoScheduler;

/**
 * OpenRLHF's critic-free advantage estimators, one schedule with the baseline as the only difference (OpenRLHF
 * 3c3be6234e0cb353e76bb8019947db9dfe99fca7, openrlhf/trainer/ppo_utils/experience_maker.py,
 * compute_advantages_and_returns lines 238-331):
 * <pre>
 *   r      = the reward model's score of each answer (B)
 *   r      = baseline(r)  per prompt group of K = n_samples_per_prompt          (lines 264-270, {@link Baseline})
 *   r      = clamp(r, reward.clip_range = [-10, 10])                               (compute_reward, models/utils.py 108-109)
 *   r_t    = -kl_coef * kl_t on every answer token, + r at the last one           (compute_reward lines 111-124)
 *            kl_t = compute_approx_kl(log pi, log ref; k1) clamped to +-10;  0 when kl.use_loss (the KL goes to the loss)
 *   A_t    = R_t = sum_{s >= t} gamma^(s-t) r_s,  gamma forced to 1 for the group estimators    (lines 292-306)
 *   A      = (A - mean) / std over every answer token of the batch, for reinforce and reinforce_baseline only;
 *            no_std_norm keeps the mean subtraction alone                          (lines 315-328)
 * </pre>
 * The policy loss is PPO's clipped surrogate (PolicyLoss, models/loss.py lines 116-226: eps_clip 0.2, or
 * eps_clip_low_high), a token mean over the batch (token_level_loss True); with kl.use_loss the actor adds
 * kl_coef x the token mean of the KL estimate (trainer/ray/ppo_actor.py lines 319-337). No critic, no value loss.
 */
abstract class AdvantageEstimator implements PpoScheduler {

    /** How an estimator turns the group's scores into each answer's return (lines 264-270). */
    enum Baseline {
        /** reinforce (REINFORCE++): none; the batch normalisation of the advantages follows. */
        NONE,
        /** reinforce_baseline and dr_grpo: r - mean of the group. */
        GROUP_MEAN,
        /** rloo: r - the mean of the group's other scores. */
        LEAVE_ONE_OUT,
        /** group_norm (GRPO): (r - mean) / (std + 1e-9). */
        GROUP_NORM
    }

    private final Baseline baseline;
    private final boolean batchNormalised;
    private final boolean byStd;
    private final double gamma;
    private final double clipLow;
    private final double clipHigh;
    private final LossSettings.KlEstimator klEstimator;
    private final boolean klInLoss;
    private final LossSettings losses;

    /**
     * @param baseline the estimator's baseline
     * @param batchNormalised whether the advantages are normalised over the batch's tokens afterwards (reinforce and
     *        reinforce_baseline)
     */
    AdvantageEstimator(Config settings, Baseline baseline, boolean batchNormalised) {
        this.baseline = baseline;
        this.batchNormalised = batchNormalised;
        this.byStd = !settings.getBoolean("no-std-norm");
        // The group estimators force gamma to 1 (line 299, with a warning); reinforce keeps the setting.
        this.gamma = baseline == Baseline.NONE ? settings.getDouble("gamma") : 1.0;
        this.clipLow = settings.getDouble("reward-clip-low");
        this.clipHigh = settings.getDouble("reward-clip-high");
        if (!(clipLow < clipHigh)) {
            throw new ConfigProblem(settings, "reward-clip-low", "must be below reward-clip-high (OpenRLHF asserts it)");
        }
        String estimator = settings.getString("kl-estimator").toUpperCase(Locale.ROOT);
        try {
            this.klEstimator = LossSettings.KlEstimator.valueOf(estimator);
        } catch (IllegalArgumentException e) {
            throw new ConfigProblem(settings, "kl-estimator", "'" + settings.getString("kl-estimator") + "' is not one of: k1, k2, k3");
        }
        this.klInLoss = settings.getBoolean("kl-use-loss");
        double eps = settings.getDouble("eps-clip");
        double high = settings.getIsNull("eps-clip-high") ? eps : settings.getDouble("eps-clip-high");
        LossSettings l = new LossSettings(eps, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 0, 1, false,
                LossSettings.Aggregation.TOKEN_MEAN).withClipHigh(high);
        this.losses = klInLoss ? l.withKlLoss(new LossSettings.KlLoss(klEstimator, 10)) : l;
    }

    @Override
    public final Advantages schedule(Experience e, double klCoef) {
        float[] shaped = switch (baseline) {
            case NONE -> e.scores().clone();
            case GROUP_MEAN -> GroupBaselines.minusGroupMean(e.scores(), e.groupSize());
            case LEAVE_ONE_OUT -> GroupBaselines.leaveOneOut(e.scores(), e.groupSize());
            case GROUP_NORM -> GroupBaselines.groupNormalised(e.scores(), e.groupSize(), 1e-9);
        };
        double coef = klInLoss ? 0 : Math.max(0, klCoef); // compute_reward: kl_coef <= 0 counts as 0
        float[][] kl = klInReward(e);
        float[][] rewards = new float[e.batchSize()][e.length()];
        for (int b = 0; b < rewards.length; b++) {
            for (int t = 0; t < rewards[b].length; t++) {
                rewards[b][t] = (float) (-coef * kl[b][t]);
            }
            int last = PpoMath.lastIndex(e.mask()[b]);
            if (last >= 0) {
                rewards[b][last] += (float) Math.max(clipLow, Math.min(clipHigh, shaped[b]));
            }
        }
        float[][] returns = PpoMath.discountedReturns(rewards, e.mask(), gamma);
        float[][] advantages = batchNormalised ? PpoMath.tokenNormalised(returns, e.mask(), byStd) : returns;
        return new Advantages(rewards, advantages, returns);
    }

    /** compute_approx_kl (models/utils.py lines 64-95): the per-token estimate, clamped to +-10, zero off the mask. */
    private float[][] klInReward(Experience e) {
        float[][] kl = switch (klEstimator) {
            case K1 -> PpoMath.klK1(e.logProbs(), e.refLogProbs(), e.mask());
            case K2 -> PpoMath.klK2(e.logProbs(), e.refLogProbs(), e.mask());
            case K3 -> PpoMath.klK3(e.logProbs(), e.refLogProbs(), e.mask());
        };
        for (float[] row : kl) {
            for (int t = 0; t < row.length; t++) {
                row[t] = (float) PpoMath.clip(row[t], 10);
            }
        }
        return kl;
    }

    @Override
    public final boolean needsCritic() {
        return false;
    }

    @Override
    public final int minimumGroupSize() {
        return baseline == Baseline.NONE ? 1 : 2; // train_ppo_ray.py lines 612-615 assert n_samples_per_prompt > 1
    }

    @Override
    public final LossSettings losses() {
        return losses;
    }
}
