package org.rlhf4j.plugins.colossal;

import ai.djl.ndarray.NDArray;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.reward.PairBatch;
import org.rlhf4j.api.reward.PreferenceLoss;
import org.rlhf4j.api.reward.RewardMath;

/**
 * Coati's LogExpLoss (ColossalAI 7b9b86441, applications/Chat/coati/models/loss.py lines 89-97; 4f9953be3,
 * applications/ColossalChat/coati/models/loss.py lines 184-192): log(1 + exp(r_rejected - r_chosen)), averaged over pairs -
 * the same function as LogSigLoss written the other way round, kept as upstream offers both.
 * Computed as -log sigmoid(r_chosen - r_rejected), which does not overflow for large margins.
 */
@Extension
@ExtensionName("colossal.log-exp")
public final class LogExpLoss implements PreferenceLoss {

    @Override
    public NDArray loss(PairBatch b) {
        NDArray gap = score(b.rejectedValues(), b.rejectedMask()).sub(score(b.chosenValues(), b.chosenMask())); // (P)
        return RewardMath.logSigmoid(gap.neg()).neg().mean();
    }
}
