package org.rlhf4j.api.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

/** The clipped losses on hand-computed tensors, gradients included. */
class PpoLossesTest {

    private static final LossSettings DS = LossSettings.standard(0.2, 0.2);

    @Test
    void clippedPolicyLossAndItsGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray newLp = m.create(new float[][] {{0f, (float) Math.log(1.5)}});
            newLp.setRequiresGradient(true);
            NDArray oldLp = m.create(new float[][] {{0f, 0f}});
            NDArray adv = m.create(new float[][] {{1f, 1f}});
            NDArray mask = m.create(new float[][] {{1f, 1f}});
            PpoLosses.PolicyLoss pl;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                // ratio = [1, 1.5]; surr1 = [1, 1.5]; surr2 = [1, 1.2]; loss = -(1 + 1.2) / 2 = -1.1
                pl = PpoLosses.policy(newLp, oldLp, adv, mask, DS);
                gc.backward(pl.loss());
            }
            assertEquals(-1.1f, pl.loss().getFloat(), 1e-5f);
            assertEquals(0.5f, pl.clipFraction(), 1e-6f);
            assertEquals(1.25f, pl.meanRatio(), 1e-5f);
            float ln = (float) Math.log(1.5);
            assertEquals(0.5f * ln * ln / 2, pl.approxKl(), 1e-6f);
            assertFalse(pl.skip());
            // d/dlogp of -ratio * A / 2 at t=0 is -0.5; the clipped token gets no gradient.
            assertArrayEquals(new float[] {-0.5f, 0f}, newLp.getGradient().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void negativeAdvantageTakesThePessimisticTerm() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray newLp = m.create(new float[][] {{(float) Math.log(1.5)}});
            NDArray zero = m.create(new float[][] {{0f}});
            NDArray adv = m.create(new float[][] {{-1f}});
            NDArray mask = m.create(new float[][] {{1f}});
            // surr1 = -1.5, surr2 = -1.2: min is -1.5, so the loss is 1.5 (unclipped)
            assertEquals(1.5f, PpoLosses.policy(newLp, zero, adv, mask, DS).loss().getFloat(), 1e-5f);
        }
    }

    @Test
    void coatiClampsTheRatioAndSkipsWildSteps() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray newLp = m.create(new float[][] {{(float) Math.log(30), 0f}});
            NDArray zero = m.create(new float[][] {{0f, 0f}});
            NDArray adv = m.create(new float[][] {{-1f, 1f}});
            NDArray mask = m.create(new float[][] {{1f, 1f}});
            LossSettings coati = new LossSettings(0.2, 10, 20, 0.2, 1, false);
            PpoLosses.PolicyLoss pl = PpoLosses.policy(newLp, zero, adv, mask, coati);
            // ratio [30, 1] -> mean 15.5 (no skip); clamped to [10, 1]: token 0 min(-10, -1.2) = -10 -> loss (10 - 1) / 2
            assertEquals(15.5f, pl.meanRatio(), 1e-4f);
            assertFalse(pl.skip());
            assertEquals(4.5f, pl.loss().getFloat(), 1e-4f);
            NDArray wild = m.create(new float[][] {{(float) Math.log(50), 0f}});
            assertTrue(PpoLosses.policy(wild, zero, adv, mask, coati).skip(), "mean ratio 25.5 > 20");
        }
    }

    @Test
    void coatisSkipTestAveragesTheRatioOverPaddingToo() {
        try (NDManager m = NDManager.newBaseManager()) {
            // ratio [50, 1 | padding 1, 1]: the masked mean is 25.5, but Coati v2 tests ratio_.mean() over all four
            // positions, (50 + 3) / 4 = 13.25, and does not skip.
            NDArray newLp = m.create(new float[][] {{(float) Math.log(50), 0f, 3f, 3f}});
            NDArray zero = m.create(new float[][] {{0f, 0f, 0f, 0f}});
            NDArray adv = m.create(new float[][] {{-1f, 1f, 0f, 0f}});
            NDArray mask = m.create(new float[][] {{1f, 1f, 0f, 0f}});
            PpoLosses.PolicyLoss pl = PpoLosses.policy(newLp, zero, adv, mask, new LossSettings(0.2, 10, 20, 0.2, 1, false));
            assertEquals(25.5f, pl.meanRatio(), 1e-3f);
            assertFalse(pl.skip(), "the unmasked mean 13.25 is below 20");
        }
    }

    @Test
    void clippedValueLoss() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray v = m.create(new float[][] {{1f, 2f, 5f}});
            NDArray old = m.create(new float[][] {{0.5f, 0.5f, 0f}});
            NDArray ret = m.create(new float[][] {{1f, 1f, 0f}});
            NDArray mask = m.create(new float[][] {{1f, 1f, 0f}});
            // clipped = [0.7, 0.7]; l1 = [0, 1]; l2 = [0.09, 0.09]; max = [0.09, 1]; 0.5 * mean = 0.2725
            PpoLosses.ValueLoss vl = PpoLosses.value(v, old, ret, mask, 0.2);
            assertEquals(0.2725f, vl.loss().getFloat(), 1e-5f);
            assertEquals(0.5f, vl.clipFraction(), 1e-6f);
        }
    }

    @Test
    void sequenceMeanWeighsEveryAnswerTheSame() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Row 0 has three answer tokens of loss 1, row 1 one token of loss 4 (advantage -1, ratio 1: loss = -A).
            NDArray zero = m.create(new float[][] {{0f, 0f, 0f}, {0f, 0f, 0f}});
            NDArray adv = m.create(new float[][] {{-1f, -1f, -1f}, {-4f, 9f, 9f}});
            NDArray mask = m.create(new float[][] {{1f, 1f, 1f}, {1f, 0f, 0f}});
            LossSettings tokens = LossSettings.standard(0.2, 0.2);
            LossSettings sequences = tokens.withAggregation(LossSettings.Aggregation.SEQUENCE_MEAN);
            // token mean (1 + 1 + 1 + 4) / 4 = 1.75; sequence mean (1 + 4) / 2 = 2.5
            assertEquals(1.75f, PpoLosses.policy(zero, zero, adv, mask, tokens).loss().getFloat(), 1e-6f);
            assertEquals(2.5f, PpoLosses.policy(zero, zero, adv, mask, sequences).loss().getFloat(), 1e-6f);
            // value: V = 0, R = [1, 1, 1 | 3]: squared errors 1, 1, 1 | 9 -> 0.5 x 3 = 1.5 vs 0.5 x 5 = 2.5
            NDArray ret = m.create(new float[][] {{1f, 1f, 1f}, {3f, 7f, 7f}});
            assertEquals(1.5f, PpoLosses.value(zero, zero, ret, mask, tokens).loss().getFloat(), 1e-6f);
            assertEquals(2.5f, PpoLosses.value(zero, zero, ret, mask, sequences).loss().getFloat(), 1e-6f);
        }
    }
}
