package org.rlhf4j.api.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/** Tensor helpers shared by the preference losses. *
 * @since 0.1.0
 */
public final class RewardMath {

    private RewardMath() {
    }

    /** The value at each row's last real token: values (B, T), mask (B, T) -> (B). */
    public static NDArray lastValue(NDArray values, NDArray mask) {
        NDArray last = lastIndex(mask).expandDims(1);                                  // (B, 1)
        return values.gather(last, 1).squeeze(1);                                      // (B)
    }

    /** Each row's last index where mask is 1 (0 for an all-zero row): (B, T) -> (B) int64. */
    public static NDArray lastIndex(NDArray mask) {
        long t = mask.getShape().get(1);
        NDManager m = mask.getManager();
        NDArray rank = mask.toType(DataType.INT64, false).mul(m.arange(1, (int) t + 1, 1, DataType.INT64));
        return rank.argMax(1);
    }

    /** log sigmoid(x), stable for large |x|: -softplus(-x) = min(x, 0) - log(1 + exp(-|x|)). */
    public static NDArray logSigmoid(NDArray x) {
        NDArray zero = x.zerosLike();
        NDArray one = x.onesLike();
        return x.minimum(zero).sub(x.abs().neg().exp().add(one).log());
    }
}
