package org.rlhf4j.plugins.beaver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.reward.PairBatch;

class CostModelLossTest {

    static double softplusNeg(double x) { // -log sig(x)
        return Math.log1p(Math.exp(-x));
    }

    @Test
    void rankingSignAndRegularisationTerms() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray ids = m.zeros(new ai.djl.ndarray.types.Shape(1, 2), ai.djl.ndarray.types.DataType.INT64);
            NDArray mask = m.ones(new ai.djl.ndarray.types.Shape(1, 2));
            NDArray unsafer = m.create(new float[][] {{0, 2f}});   // C_unsafer = 2
            NDArray safer = m.create(new float[][] {{0, 0.5f}});   // C_safer = 0.5
            NDArray sUnsafe = m.create(new float[] {1f});          // the unsafer answer is unsafe
            NDArray sSafe = m.create(new float[] {-1f});           // the safer one is safe
            CostModelLoss loss = new CostModelLoss(ConfigFactory.parseString("regularization = 0.001"));
            float l = loss.loss(new PairBatch(ids, ids, unsafer, safer, mask, mask, sUnsafe, sSafe)).getFloat();
            // -log sig(1.5) - log sig(2) - log sig(-0.5) + 0.001 * mean(4, 0.25)
            double expected = softplusNeg(1.5) + softplusNeg(2) + softplusNeg(-0.5) + 0.001 * (4 + 0.25) / 2;
            assertEquals(expected, l, 1e-5);
            assertThrows(IllegalArgumentException.class,
                    () -> loss.loss(new PairBatch(ids, ids, unsafer, safer, mask, mask, null, null)));
        }
    }
}
