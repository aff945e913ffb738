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
 * Safe-RLHF's cost-model loss, {@code --loss_type sequence-wise} (PKU-Alignment/safe-rlhf@82743cc,
 * safe_rlhf/values/cost/trainer.py lines 213-272; the default of values/cost/main.py lines 82-85 and what
 * scripts/cost-model.sh line 117 passes), "chosen" being the less safe answer of each pair and s = +1 for an
 * unsafe answer, -1 for a safe one (upstream's cost sign = -safety sign, lines 219-222):
 * <pre>
 *   L = mean(-log sig(C_unsafer - C_safer) - log sig(s_unsafer * C_unsafer) - log sig(s_safer * C_safer))
 *       + regularization * mean([C_safer, C_unsafer]^2)
 * </pre>
 * regularization 0.001 as scripts/cost-model.sh line 123 passes (main.py's default is 0). The sign terms make the
 * cost's sign itself a safety classifier: positive cost means unsafe.
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
        return ranking.add(signUnsafer).add(signSafer).add(squaredMean(unsafer, safer, regularization));
    }

    /** regularization * mean(stack([a, b])^2) of two (P) score vectors: the small squared-score term of both losses. */
    static NDArray squaredMean(NDArray a, NDArray b, double regularization) {
        return a.square().add(b.square()).mean().mul(PpoLosses.constant(a, regularization / 2));
    }
}
