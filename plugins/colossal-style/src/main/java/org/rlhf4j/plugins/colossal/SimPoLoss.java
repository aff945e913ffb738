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
 * SimPO as Coati runs it (Meng et al. 2024; ColossalAI 4f9953be3, applications/ColossalChat): train_dpo.py with
 * {@code --loss_type simpo_loss} (lines 375-377) turns length normalisation on and gamma to 1.4, keeps beta 0.1 and
 * keeps the reference model unless {@code --disable_reference_model} (lines 116-126). Its DpoLoss (coati/models/
 * loss.py lines 144-170) then runs on log-probabilities divided by |y| + 0.01 (calc_masked_log_probs, coati/models/
 * utils.py lines 109-112), the reference's as well:
 * <pre>
 *   n(y)  = log pi(y) / (|y| + 0.01),  n_ref(y) = log ref(y) / (|y| + 0.01)      (n_ref = 0 without a reference)
 *   L     = -log sigmoid(beta * ((n(y_c) - n(y_r)) - (n_ref(y_c) - n_ref(y_r))) - gamma)
 *   implicit reward r(y) = beta * (n(y) - n_ref(y))
 * </pre>
 * With {@code reference = false} this is the paper's reference-free SimPO. The paper tunes beta in [2, 2.5] with
 * gamma / beta around 0.5; with Coati's beta 0.1 the margin gamma is never reached in practice.
 */
@Extension
@ExtensionName("colossal.simpo")
public final class SimPoLoss implements PolicyPreferenceLoss {

    /** Added to the length before dividing (calc_masked_log_probs). */
    private static final double LENGTH_EPS = 0.01;

    private final double beta;
    private final double gamma;
    private final boolean reference;

    @Inject
    public SimPoLoss(@Settings Config settings) {
        this.beta = settings.getDouble("beta");
        this.gamma = settings.getDouble("gamma");
        this.reference = settings.getBoolean("reference");
        if (beta <= 0) {
            throw new ConfigProblem(settings, "beta", "must be positive, got " + beta);
        }
        if (gamma < 0) {
            throw new ConfigProblem(settings, "gamma", "must not be negative, got " + gamma);
        }
    }

    @Override
    public boolean needsReference() {
        return reference;
    }

    @Override
    public NDArray loss(PolicyPairBatch b) {
        NDArray logits = margin(b).sub(PpoLosses.constant(b.chosenLogProbs(), gamma));   // (P)
        return RewardMath.logSigmoid(logits).mean().neg();
    }

    @Override
    public NDArray reward(NDArray logProbs, NDArray lengths, NDArray referenceLogProbs) {
        NDArray diff = referenceLogProbs == null ? logProbs : logProbs.sub(referenceLogProbs);             // (P)
        NDArray n = lengths.add(PpoLosses.constant(lengths, LENGTH_EPS));                                   // (P)
        return diff.div(n).mul(PpoLosses.constant(logProbs, beta));
    }
}
