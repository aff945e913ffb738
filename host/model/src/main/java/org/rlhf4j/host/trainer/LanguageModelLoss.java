package org.rlhf4j.host.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Next-token cross-entropy, the loss of pretraining and SFT (and PPO's PTX term later). */
public final class LanguageModelLoss {

    private LanguageModelLoss() {
    }

    /**
     * The mean of -log p(target) over the positions where {@code mask} is 1.
     *
     * @param logits (B, T, V)
     * @param targets (B, T) int64: the token that follows each position
     * @param mask (B, T), 1 where the loss counts (SFT: assistant tokens); null counts every position
     * @return a scalar
     */
    public static NDArray crossEntropy(NDArray logits, NDArray targets, NDArray mask) {
        NDArray logp = logits.logSoftmax(-1)                                  // (B, T, V)
                .gather(targets.expandDims(-1), -1).squeeze(-1);            // (B, T)
        if (mask == null) {
            return logp.mean().neg();
        }
        NDArray weights = mask.toType(DataType.FLOAT32, false);
        return logp.mul(weights).sum().div(weights.sum().maximum(1f)).neg();
    }

    /** The per-token log-probability of {@code targets} under {@code logits}: (B, T, V) -> (B, T). */
    public static NDArray tokenLogProbs(NDArray logits, NDArray targets) {
        return logits.logSoftmax(-1).gather(targets.expandDims(-1), -1).squeeze(-1);
    }
}
