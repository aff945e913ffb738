package org.rlhf4j.plugins.colossal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.reward.PairBatch;

class RewardLossesTest {

    @Test
    void logSigAndLogExpOnLastTokenScores() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray ids = m.zeros(new ai.djl.ndarray.types.Shape(2, 3), ai.djl.ndarray.types.DataType.INT64);
            NDArray cMask = m.create(new float[][] {{1, 1, 1}, {1, 1, 0}});
            NDArray rMask = m.create(new float[][] {{1, 1, 0}, {1, 1, 1}});
            // scores: chosen [3, 1] (last real tokens), rejected [2, 4]
            NDArray cVal = m.create(new float[][] {{0, 0, 3}, {0, 1, 9}});
            NDArray rVal = m.create(new float[][] {{0, 2, 9}, {0, 0, 4}});
            PairBatch b = new PairBatch(ids, ids, cVal, rVal, cMask, rMask, null, null);
            // margins [1, -3]: -log sig(1) = log(1 + e^-1) = 0.3132617; -log sig(-3) = log(1 + e^3) = 3.0485874
            double expected = (Math.log1p(Math.exp(-1)) + Math.log1p(Math.exp(3))) / 2;
            assertEquals(expected, new LogSigLoss().loss(b).getFloat(), 1e-5);
            assertEquals(expected, new LogExpLoss().loss(b).getFloat(), 1e-5);
            // no overflow at a margin of -100
            NDArray far = m.create(new float[][] {{0, 0, -100}, {0, 0, 0}});
            NDArray zero = m.create(new float[][] {{0, 0, 0}, {0, 0, 0}});
            NDArray full = m.ones(new ai.djl.ndarray.types.Shape(2, 3));
            assertEquals(50.0 + Math.log(2) / 2, new LogExpLoss().loss(new PairBatch(ids, ids, far, zero, full, full, null, null)).getFloat(), 1e-3);
        }
    }
}
