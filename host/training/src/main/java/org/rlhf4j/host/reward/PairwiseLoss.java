package org.rlhf4j.host.reward;

import ai.djl.ndarray.NDArray;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.reward.PairBatch;
import org.rlhf4j.api.reward.PreferenceLoss;
import org.rlhf4j.api.reward.RewardMath;

/**
 * The host's built-in preference loss ({@code pairwise}): InstructGPT's reward-model loss (Ouyang et al. 2022,
 * eq. 1), the Bradley-Terry likelihood of the chosen answer over the rejected one,
 * <pre>
 *   L = -mean over pairs of log sigmoid(r(x, y_chosen) - r(x, y_rejected))
 * </pre>
 * with r the value head at each answer's last real token. It needs no settings. The cost stage uses it too,
 * "chosen" being the less safe answer, so a higher cost means less safe; Safe-RLHF's sign terms, which make the
 * cost's sign a classifier, are the beaver-safe plugin's {@code beaver.cost}.
 */
@Extension
@ExtensionName("pairwise")
public final class PairwiseLoss implements PreferenceLoss {

    @Override
    public NDArray loss(PairBatch b) {
        NDArray margin = score(b.chosenValues(), b.chosenMask()).sub(score(b.rejectedValues(), b.rejectedMask()));  // (P)
        return RewardMath.logSigmoid(margin).mean().neg();
    }
}
