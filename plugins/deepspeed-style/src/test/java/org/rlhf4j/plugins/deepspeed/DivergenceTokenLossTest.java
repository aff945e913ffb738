package org.rlhf4j.plugins.deepspeed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.reward.PairBatch;

class DivergenceTokenLossTest {

    static double logSig(double x) {
        return -Math.log1p(Math.exp(-x));
    }

    @Test
    void averagesOverTheDivergentSpanOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Pair 0: shared prompt [5, 6], answers differ from t=2; chosen has 4 real tokens, rejected 3.
            // Pair 1: identical sequences of 2 tokens: only the last position of the padded row (t=3) counts, as upstream.
            NDArray cIds = m.create(new long[][] {{5, 6, 7, 8}, {3, 4, 0, 0}});
            NDArray rIds = m.create(new long[][] {{5, 6, 9, 0}, {3, 4, 0, 0}});
            NDArray cMask = m.create(new float[][] {{1, 1, 1, 1}, {1, 1, 0, 0}});
            NDArray rMask = m.create(new float[][] {{1, 1, 1, 0}, {1, 1, 0, 0}});
            NDArray cVal = m.create(new float[][] {{9, 9, 1.0f, 2.0f}, {7, 0.5f, 0, 0}});
            NDArray rVal = m.create(new float[][] {{-9, -9, 0.0f, 0.5f}, {7, 1.5f, 0, 1f}});
            cVal.setRequiresGradient(true);
            NDArray loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                loss = new DivergenceTokenLoss().loss(new PairBatch(cIds, rIds, cVal, rVal, cMask, rMask, null, null));
                gc.backward(loss);
            }
            // pair 0: span t = 2..3 (end = max(4, 3)): diffs [1, 1.5]; pair 1: span t = 3: diff 0 - 1 = -1
            double pair0 = -(logSig(1.0) + logSig(1.5)) / 2;
            double pair1 = -logSig(-1.0);
            assertEquals((pair0 + pair1) / 2, loss.getFloat(), 1e-5);
            // the shared prompt (and the real tokens of the identical pair 1) get no gradient
            float[] g = cVal.getGradient().toFloatArray();
            assertArrayEquals(new float[] {0, 0}, new float[] {g[0], g[1]}, 0f);
            assertArrayEquals(new float[] {0, 0}, new float[] {g[4], g[5]}, 0f);
            // d/dx of -log sig(x) / 2 / 2 at x = 1 is -sigmoid(-1) / 4
            assertEquals(-1 / (1 + Math.exp(1.0)) / 4, g[2], 1e-6);
            assertEquals(1, new DivergenceTokenLoss().score(cVal, cMask).getShape().dimension());
            assertEquals(2.0f, new DivergenceTokenLoss().score(cVal, cMask).getFloat(0), 0f, "the last real token's value");
        }
    }
}
