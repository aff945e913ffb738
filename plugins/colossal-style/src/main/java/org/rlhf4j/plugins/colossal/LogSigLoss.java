package org.rlhf4j.plugins.colossal;

import ai.djl.ndarray.NDArray;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.reward.PairBatch;
import org.rlhf4j.api.reward.PreferenceLoss;
import org.rlhf4j.api.reward.RewardMath;

/**
 * Coati's LogSigLoss: -log sigmoid(r_chosen - r_rejected), averaged over pairs, on each sequence's last-token score
 * (ColossalAI 7b9b86441, applications/Chat/coati/models/loss.py lines 76-86, and 4f9953be3,
 * applications/ColossalChat/coati/models/loss.py lines 174-181: the same function).
 */
@Extension
@ExtensionName("colossal.log-sig")
public final class LogSigLoss implements PreferenceLoss {

    @Override
    public NDArray loss(PairBatch b) {
        NDArray margin = score(b.chosenValues(), b.chosenMask()).sub(score(b.rejectedValues(), b.rejectedMask()));  // (P)
        return RewardMath.logSigmoid(margin).mean().neg();
    }
}
