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
 * ORPO as Coati computes it (Hong et al. 2024; ColossalAI 4f9953be3, applications/ColossalChat: OddsRatioLoss in
 * coati/models/loss.py lines 195-216, the trainer's loss in coati/trainer/orpo.py lines 144-163; lambda 0.1,
 * train_orpo.py line 305), no reference model:
 * <pre>
 *   odds_t    = log p_t - log(1.0001 - p_t)            per answer token, p_t = pi(y_t | x, y_&lt;t)
 *   O_c       = sum of odds_t over every chosen answer token of the batch / their count   (one scalar; O_r alike)
 *   L         = NLL(chosen sequences) - lambda * log sigmoid(O_c - O_r)
 *   NLL       = the language-model loss over the chosen sequences' prompt and answer tokens, pooled per token
 * </pre>
 * The odds are pooled over the whole batch, not formed per pair. Coati's NLL is the model's loss with the chosen ids
 * as labels, which also counts the padding up to the collator's max_length (coati/dataset/loader.py,
 * DataCollatorForPreferenceDataset pads to max_length 2048 by default); ours counts the real tokens only, as that
 * share depends on batch layout and not on the method. Coati also rounds log sigmoid(O_c - O_r) to bfloat16; ours
 * stays float32. The implicit reward, for the stage's margin and accuracy only, is an answer's mean token
 * log-probability (Coati logs the batch's pooled mean as chosen_rewards, orpo.py lines 172-173).
 */
@Extension
@ExtensionName("colossal.orpo")
public final class OrpoLoss implements PolicyPreferenceLoss {

    /** Coati's 1.0001 in log(1.0001 - p): keeps log(1 - p) finite at p = 1. */
    private static final double ONE_PLUS = 1.0001;

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
        NDArray logOddsRatio = pooledLogOdds(b.chosenTokenLogProbs(), b.chosenTokenMask())
                .sub(pooledLogOdds(b.rejectedTokenLogProbs(), b.rejectedTokenMask()));           // ()
        NDArray ratio = RewardMath.logSigmoid(logOddsRatio);                                     // ()
        return b.chosenSequenceNll().sub(ratio.mul(PpoLosses.constant(ratio, lambda)));
    }

    /** sum(odds_t * mask) / sum(mask) over a (P, T) block of token log-probabilities: a scalar. */
    static NDArray pooledLogOdds(NDArray logProbs, NDArray mask) {
        NDArray odds = logProbs.sub(PpoLosses.constant(logProbs, ONE_PLUS).sub(logProbs.exp()).log()); // (P, T)
        return odds.mul(mask).sum().div(mask.sum());
    }

    @Override
    public NDArray reward(NDArray logProbs, NDArray lengths, NDArray referenceLogProbs) {
        return logProbs.div(lengths);
    }
}
