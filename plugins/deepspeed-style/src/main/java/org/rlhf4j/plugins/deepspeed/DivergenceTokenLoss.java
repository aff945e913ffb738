package org.rlhf4j.plugins.deepspeed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.reward.PairBatch;
import org.rlhf4j.api.reward.PreferenceLoss;
import org.rlhf4j.api.reward.RewardMath;

/**
 * DeepSpeed-Chat's reward-model loss (DeepSpeedExamples 83757d9c, dschat/utils/model/reward_model.py,
 * RewardModel.forward lines 66-120): for each pair, the mean of -log sigmoid(r_chosen,t - r_rejected,t) over the
 * tokens from the first one where the two sequences differ to the end of the longer one; averaged over pairs. Two
 * identical sequences compare the last position of the padded row only (lines 92-95; their values are equal there,
 * so the pair adds log 2 and no gradient). The score of a sequence is the value at its last real token
 * ({@code chosen_reward[c_ind - 1]}). Golden test: DsChatRewardGoldenTest.
 */
@Extension
@ExtensionName("deepspeed.divergence-token")
public final class DivergenceTokenLoss implements PreferenceLoss {

    @Override
    public NDArray loss(PairBatch b) {
        long pairs = b.chosenIds().getShape().get(0);
        long[] chosenIds = b.chosenIds().toLongArray();
        long[] rejectedIds = b.rejectedIds().toLongArray();
        float[] chosenLen = b.chosenMask().sum(new int[] {1}).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        float[] rejectedLen = b.rejectedMask().sum(new int[] {1}).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        int len = (int) b.chosenIds().getShape().get(1);
        List<NDArray> perPair = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            int end = len;              // identical sequences: upstream's end_ind = the padded width
            int div = len - 1;
            for (int t = 0; t < len; t++) {
                if (chosenIds[i * len + t] != rejectedIds[i * len + t]) {
                    end = (int) Math.max(chosenLen[i], rejectedLen[i]);
                    div = t;
                    break;
                }
            }
            NDIndex span = new NDIndex("{}, {}:{}", i, div, end);
            NDArray diff = b.chosenValues().get(span).sub(b.rejectedValues().get(span));   // (end - div)
            perPair.add(RewardMath.logSigmoid(diff).mean().neg());
        }
        return NDArrays.stack(new ai.djl.ndarray.NDList(perPair)).mean();
    }
}
