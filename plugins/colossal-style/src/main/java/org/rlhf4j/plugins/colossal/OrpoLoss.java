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
 * ORPO (Hong et al. 2024, eq. 6-7) with Coati's lambda 0.1 (coati/trainer/orpo.py, coati/models/loss.py
 * OddsRatioLoss; docs/algorithms.md): the SFT loss on the chosen answer plus an odds-ratio term, no
 * reference model.
 * <pre>
 *   p(y)      = exp(log pi(y) / |y|)                       (the mean token log-probability, exponentiated)
 *   log odds  = log p - log(1 - p)
 *   L         = NLL(y_c) + lambda * -log sigmoid(log odds(y_c) - log odds(y_r))
 *   implicit reward r(y) = log odds(y)
 * </pre>
 * NLL(y_c) is -log pi(y_c) / |y_c|, averaged over pairs. Two differences from Coati's code, which follow
 * the paper instead: Coati averages per-token odds rather than taking the odds of the mean, and its NLL
 * covers the prompt's tokens as well. log(1 - p) is computed with the mean log-probability capped just below
 * 0, where Coati adds 1e-4 inside the log, so that a perfectly predicted answer cannot give -infinity.
 */
@Extension
@ExtensionName("colossal.orpo")
public final class OrpoLoss implements PolicyPreferenceLoss {

    /** The largest mean log-probability the odds see: p at most 1 - 1e-6. */
    private static final double MEAN_LOG_PROB_CAP = Math.log1p(-1e-6);

    private final double lambda;

    @Inject
    public OrpoLoss(@Settings Config settings) {
        this.lambda = settings.getDouble("lambda");
        if (lambda < 0) {
            throw new ConfigProblem(settings, "lambda", "must not be negative, got " + lambda);
        }
    }

    @Override
    public boolean needsReference() {
        return false;
    }

    @Override
    public NDArray loss(PolicyPairBatch b) {
        NDArray oddsRatio = RewardMath.logSigmoid(margin(b)).mean().neg();                  // ()
        return b.chosenNll().add(oddsRatio.mul(PpoLosses.constant(oddsRatio, lambda)));
    }

    @Override
    public NDArray reward(NDArray logProbs, NDArray lengths, NDArray referenceLogProbs) {
        NDArray mean = logProbs.div(lengths).minimum(PpoLosses.constant(logProbs, MEAN_LOG_PROB_CAP)); // (P)
        NDArray one = mean.onesLike();
        return mean.sub(one.sub(mean.exp()).log());                                            // log p - log(1 - p)
    }
}
