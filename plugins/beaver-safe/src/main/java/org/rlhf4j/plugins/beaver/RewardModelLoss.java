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
 * Safe-RLHF's reward-model loss, {@code --loss_type sequence-wise} (PKU-Alignment/safe-rlhf@82743cc,
 * safe_rlhf/values/reward/trainer.py lines 222-230; the default of values/reward/main.py lines 82-85 and what
 * scripts/reward-model.sh line 117 passes), on the end scores (the score head at each sequence's last real token,
 * models/score_model/__init__.py line 197):
 * <pre>
 *   L = -mean log sig(r_better - r_worse) + regularization * mean([r_worse, r_better]^2)
 * </pre>
 * regularization 0.001 as scripts/reward-model.sh line 123 passes (values/reward/main.py's default is 0). The
 * token-wise variant is not reproduced.
 */
@Extension
@ExtensionName("beaver.reward")
public final class RewardModelLoss implements PreferenceLoss {

    private final double regularization;

    @Inject
    public RewardModelLoss(@Settings Config settings) {
        this.regularization = settings.getDouble("regularization");
        if (regularization < 0) {
            throw new ConfigProblem(settings, "regularization", "must be >= 0");
        }
    }

    @Override
    public NDArray loss(PairBatch b) {
        NDArray better = score(b.chosenValues(), b.chosenMask());       // (P)
        NDArray worse = score(b.rejectedValues(), b.rejectedMask());    // (P)
        NDArray ranking = RewardMath.logSigmoid(better.sub(worse)).mean().neg();
        return ranking.add(CostModelLoss.squaredMean(better, worse, regularization));
    }
}
