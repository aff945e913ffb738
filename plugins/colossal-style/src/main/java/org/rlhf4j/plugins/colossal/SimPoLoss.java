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
 * SimPO as Coati ships it (Meng et al. 2024): its DpoLoss with the reference model disabled, length
 * normalisation on and the target margin gamma (coati/models/loss.py; train_dpo.py's {@code simpo_loss}
 * sets length_normalization and gamma 1.4, and leaves beta at its default 0.1; docs/algorithms.md):
 * <pre>
 *   L = -log sigmoid(beta / |y_c| * log pi(y_c) - beta / |y_r| * log pi(y_r) - gamma)
 *   implicit reward r(y) = beta / |y| * log pi(y)        (no reference model)
 * </pre>
 * The paper itself tunes beta in [2, 2.5] with gamma / beta around 0.5; with Coati's beta 0.1 the margin
 * gamma is never reached in practice and the loss pushes the mean log-probabilities apart almost linearly.
 */
@Extension
@ExtensionName("colossal.simpo")
public final class SimPoLoss implements PolicyPreferenceLoss {

    private final double beta;
    private final double gamma;

    @Inject
    public SimPoLoss(@Settings Config settings) {
        this.beta = settings.getDouble("beta");
        this.gamma = settings.getDouble("gamma");
        if (beta <= 0) {
            throw new ConfigProblem(settings, "beta", "must be positive, got " + beta);
        }
        if (gamma < 0) {
            throw new ConfigProblem(settings, "gamma", "must not be negative, got " + gamma);
        }
    }

    @Override
    public boolean needsReference() {
        return false;
    }

    @Override
    public NDArray loss(PolicyPairBatch b) {
        NDArray logits = margin(b).sub(PpoLosses.constant(b.chosenLogProbs(), gamma));   // (P)
        return RewardMath.logSigmoid(logits).mean().neg();
    }

    @Override
    public NDArray reward(NDArray logProbs, NDArray lengths, NDArray referenceLogProbs) {
        return logProbs.div(lengths).mul(PpoLosses.constant(logProbs, beta));
    }
}
