package org.rlhf4j.plugins.beaver;

import ai.djl.ndarray.NDArray;
import com.typesafe.config.Config;
import jakarta.inject.Inject;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.ppo.PpoLosses;
import org.rlhf4j.api.reward.PairBatch;
import org.rlhf4j.api.reward.PreferenceLoss;
import org.rlhf4j.api.reward.RewardMath;

/**
 * Safe-RLHF's cost-model loss (safe-rlhf 82743cc, values/cost/trainer.py), "chosen" being the less safe
 * answer of each pair and s = +1 for an unsafe answer, -1 for a safe one:
 * <pre>
 *   L = -log sig(C_unsafer - C_safer) - log sig(s_unsafer * C_unsafer) - log sig(s_safer * C_safer)
 *       + regularization * mean(C^2)
 * </pre>
 * The sign terms make the cost's sign itself a safety classifier: positive cost means unsafe.
 */
@Extension
@ExtensionName("beaver.cost")
public final class CostModelLoss implements PreferenceLoss {

    private final double regularization;

    @Inject
    public CostModelLoss(@Settings Config settings) {
        this.regularization = settings.getDouble("regularization");
        if (regularization < 0) {
            throw new ConfigProblem(settings, "regularization", "must be >= 0");
        }
    }

    @Override
    public NDArray loss(PairBatch b) {
        if (b.chosenSigns() == null || b.rejectedSigns() == null) {
            throw new IllegalArgumentException("the cost model needs safety labels (is_response_safe) for both answers of every pair");
        }
        NDArray unsafer = score(b.chosenValues(), b.chosenMask());        // (P)
        NDArray safer = score(b.rejectedValues(), b.rejectedMask());      // (P)
        NDArray ranking = RewardMath.logSigmoid(unsafer.sub(safer)).mean().neg();
        NDArray signUnsafer = RewardMath.logSigmoid(unsafer.mul(b.chosenSigns())).mean().neg();
        NDArray signSafer = RewardMath.logSigmoid(safer.mul(b.rejectedSigns())).mean().neg();
        NDArray reg = unsafer.square().add(safer.square()).mean().mul(PpoLosses.constant(unsafer, regularization / 2));
        return ranking.add(signUnsafer).add(signSafer).add(reg);
    }
}
