package org.rlhf4j.plugins.colossal;

import ai.djl.ndarray.NDArray;
import com.typesafe.config.Config;
import jakarta.inject.Inject;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.ppo.PpoLosses;
import org.rlhf4j.api.reward.PolicyPairBatch;
import org.rlhf4j.api.reward.PolicyPreferenceLoss;
import org.rlhf4j.api.reward.RewardMath;

/**
 * Coati's DpoLoss (ColossalAI 4f9953be3, applications/ColossalChat/coati/models/loss.py lines 97-171; Rafailov et
 * al. 2023, eq. 7) with gamma 0 and its default beta 0.1 (examples/training_scripts/train_dpo.py line 323):
 * <pre>
 *   L = -log sigmoid(beta * ((log pi(y_c) - log ref(y_c)) - (log pi(y_r) - log ref(y_r))))
 *   implicit reward r(y) = beta * (log pi(y) - log ref(y))
 * </pre>
 * log-probabilities summed over the answer's tokens; the loss is averaged over pairs.
 */
@Extension
@ExtensionName("colossal.dpo")
public final class DpoLoss implements PolicyPreferenceLoss {

    private final double beta;

    @Inject
    public DpoLoss(@Settings Config settings) {
        this.beta = settings.getDouble("beta");
        if (beta <= 0) {
            throw new ConfigProblem(settings, "beta", "must be positive, got " + beta);
        }
    }

    @Override
    public boolean needsReference() {
        return true;
    }

    @Override
    public NDArray loss(PolicyPairBatch b) {
        return RewardMath.logSigmoid(margin(b)).mean().neg();
    }

    @Override
    public NDArray reward(NDArray logProbs, NDArray lengths, NDArray referenceLogProbs) {
        return logProbs.sub(referenceLogProbs).mul(PpoLosses.constant(logProbs, beta));
    }
}
