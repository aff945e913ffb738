package org.rlhf4j.plugins.colossal;

import com.typesafe.config.Config;
import org.rlhf4j.api.ppo.LossSettings;
import org.rlhf4j.api.ppo.LossSettings.Aggregation;

/**
 * Coati's PolicyLoss and ValueLoss, which differ between its two versions.
 * <ul>
 *   <li>v1 (ColossalAI 7b9b86441, applications/Chat/coati/models/loss.py): PolicyLoss (lines 26-49) clips the ratio
 *       at clip_eps 0.2 with no clamp and no skip, masked_mean per sequence then the mean over sequences; ValueLoss
 *       (lines 52-73) clips at 0.4 and takes 0.5 x the plain mean over the batch of one value per sequence (the
 *       engine broadcasts that value over the answer, so the sequence mean is the same number).</li>
 *   <li>v2 (ColossalAI 4f9953be3, applications/ColossalChat/coati/models/loss.py): PolicyLoss (lines 31-67) clamps the
 *       ratio to [0, 10] and skips a minibatch whose mean ratio exceeds 20, then masked_mean per sequence and the mean
 *       over sequences; ValueLoss (lines 70-94) clips at 0.2 and takes 0.5 x the masked mean over all answer tokens of
 *       the minibatch.</li>
 * </ul>
 * vf_coef 1.0 weighs the value loss in both (coati/trainer/ppo.py).
 */
final class CoatiLosses {

    private CoatiLosses() {
    }

    /** Coati v1's policy and value loss. */
    static LossSettings v1(Config c) {
        return new LossSettings(c.getDouble("clip-eps"), Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
                c.getDouble("value-clip"), c.getDouble("vf-coef"), false, Aggregation.SEQUENCE_MEAN);
    }

    /** Coati v2's policy loss (its ValueLoss is {@link #v2Value}). */
    static LossSettings v2Policy(Config c) {
        return new LossSettings(c.getDouble("clip-eps"), c.getDouble("ratio-max"), c.getDouble("skip-ratio-above"),
                c.getDouble("value-clip"), c.getDouble("vf-coef"), false, Aggregation.SEQUENCE_MEAN);
    }

    /** Coati v2's value loss: the policy's settings averaged over tokens. */
    static LossSettings v2Value(Config c) {
        return v2Policy(c).withAggregation(Aggregation.TOKEN_MEAN);
    }
}
