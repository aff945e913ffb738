package org.rlhf4j.api.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Golden values computed by hand (the arithmetic is in the comments). */
class PpoMathTest {

    private static final float EPS = 1e-5f;

    @Test
    void gaeOnAContiguousAnswer() {
        // gamma 1, lambda 0.95; reward 1 at the last token.
        // t=2: delta = 1 - 0.3 = 0.7 -> A = 0.7, R = 1.0
        // t=1: delta = 0 + 0.3 - 0.4 = -0.1 -> A = -0.1 + 0.95 * 0.7 = 0.565, R = 0.965
        // t=0: delta = 0 + 0.4 - 0.5 = -0.1 -> A = -0.1 + 0.95 * 0.565 = 0.43675, R = 0.93675
        Advantages a = PpoMath.gae(new float[][] {{0, 0, 1}}, new float[][] {{0.5f, 0.4f, 0.3f}},
                new float[][] {{1, 1, 1}}, 1.0, 0.95);
        assertArrayEquals(new float[] {0.43675f, 0.565f, 0.7f}, a.advantages()[0], EPS);
        assertArrayEquals(new float[] {0.93675f, 0.965f, 1.0f}, a.returns()[0], EPS);
    }

    @Test
    void gaeSkipsGapsAndPadding() {
        // A gap at t=1 (another speaker's turn): its reward and value are ignored, the value at t=2 bootstraps t=0.
        // t=2: A = 0.7; t=0: delta = 0 + 0.3 - 0.5 = -0.2 -> A = -0.2 + 0.95 * 0.7 = 0.465
        Advantages gap = PpoMath.gae(new float[][] {{0, 7, 1}}, new float[][] {{0.5f, 9f, 0.3f}},
                new float[][] {{1, 0, 1}}, 1.0, 0.95);
        assertArrayEquals(new float[] {0.465f, 0f, 0.7f}, gap.advantages()[0], EPS);
        // Padding after the answer: t=1: delta = 1 - 0.4 = 0.6; t=0: -0.1 + 0.95 * 0.6 = 0.47
        Advantages pad = PpoMath.gae(new float[][] {{0, 1, 0}}, new float[][] {{0.5f, 0.4f, 0.9f}},
                new float[][] {{1, 1, 0}}, 1.0, 0.95);
        assertArrayEquals(new float[] {0.47f, 0.6f, 0f}, pad.advantages()[0], EPS);
        assertEquals(0f, pad.returns()[0][2], "returns are zero off the mask");
    }

    @Test
    void gaeWithDiscount() {
        // gamma 0.9, lambda 1: t=1: A = 1 - 0 = 1; t=0: delta = 0 + 0.9 * 0 - 0 = 0 -> A = 0 + 0.9 * 1 = 0.9
        Advantages a = PpoMath.gae(new float[][] {{0, 1}}, new float[][] {{0, 0}}, new float[][] {{1, 1}}, 0.9, 1.0);
        assertArrayEquals(new float[] {0.9f, 1f}, a.advantages()[0], EPS);
    }

    @Test
    void maskedStatisticsAndWhitening() {
        float[][] x = {{1, 2, 100}, {3, 4, -100}};
        float[][] m = {{1, 1, 0}, {1, 1, 0}};
        // mean 2.5; unbiased variance = (2.25 + 0.25 + 0.25 + 2.25) / 4 * 4/3 = 5/3
        assertEquals(2.5, PpoMath.maskedMean(x, m), 1e-9);
        assertEquals(5.0 / 3.0, PpoMath.maskedVar(x, m), 1e-9);
        float s = (float) Math.sqrt(5.0 / 3.0 + 1e-8);
        float[][] w = PpoMath.whiten(x, m, true);
        assertArrayEquals(new float[] {-1.5f / s, -0.5f / s, 0f}, w[0], EPS);
        assertArrayEquals(new float[] {0.5f / s, 1.5f / s, 0f}, w[1], EPS);
        float[][] kept = PpoMath.whiten(x, m, false);
        assertEquals(2.5f - 1.5f / s, kept[0][0], EPS, "shift_mean=False adds the mean back");
    }

    @Test
    void klEstimatesAndPenalty() {
        float[][] lp = {{-1f, -2f}};
        float[][] ref = {{-1.5f, -2f}};
        float[][] m = {{1, 1}};
        assertArrayEquals(new float[] {0.5f, 0f}, PpoMath.klK1(lp, ref, m)[0], EPS);
        // k2 = l^2 / 2 with l = lp - ref = 0.5: 0.125
        assertArrayEquals(new float[] {0.125f, 0f}, PpoMath.klK2(lp, ref, m)[0], EPS);
        // k3 with r = ref - lp = -0.5: exp(-0.5) + 0.5 - 1 = 0.1065307
        assertEquals(0.1065307f, PpoMath.klK3(lp, ref, m)[0][0], EPS);
        Experience e = new Experience(lp, ref, new float[][] {{0, 0}}, new float[] {1}, null, m);
        assertArrayEquals(new float[] {-0.05f, 0f}, PpoMath.klPenalty(e, 0.1)[0], EPS);
        assertEquals(1, PpoMath.lastIndex(new float[] {1, 1, 0}));
        assertEquals(-1, PpoMath.lastIndex(new float[] {0, 0}));
    }

    @Test
    void trlxKlIsExpMinusOneMinusTheLogRatioSummedAndCoatiV1sIsK3Averaged() {
        // Row 0: l = [0.5, -, 0] with a gap at t=1 (whose l = -9 must not count); row 1 has no answer token.
        float[][] lp = {{-1f, -9f, -2f}, {-1f, -1f, -1f}};
        float[][] ref = {{-1.5f, 0f, -2f}, {0f, 0f, 0f}};
        float[][] m = {{1, 0, 1}, {0, 0, 0}};
        // TrlX: exp(0.5) - 1 - 0.5 = 0.1487213, and 0 for l = 0
        assertArrayEquals(new double[] {0.1487213, 0}, PpoMath.trlxSequenceKl(lp, ref, m), 1e-6, "summed over the answer");
        // Coati v1 (log_ratio = ref - new): Schulman's k3, exp(-0.5) + 0.5 - 1 = 0.1065307, averaged over 2 tokens
        assertArrayEquals(new double[] {0.1065307 / 2, 0}, PpoMath.coatiSequenceKl(lp, ref, m), 1e-6, "k3 averaged");
        // The example: 3 nats per token gives 2.05 (k3), not TrlX's 16.1.
        float[][] three = {{0f}};
        float[][] minusThree = {{-3f}};
        float[][] one = {{1}};
        assertEquals(Math.exp(-3) + 2, PpoMath.coatiSequenceKl(three, minusThree, one)[0], 1e-6);
        assertEquals(Math.exp(3) - 4, PpoMath.trlxSequenceKl(three, minusThree, one)[0], 1e-5);
    }

    @Test
    void runningMomentsMergeBatches() {
        RunningMoments rm = new RunningMoments();
        double[] first = rm.update(new float[] {1, 2, 3});
        assertEquals(2.0, first[0], 1e-9);
        assertEquals(1.0, first[1], 1e-9);
        assertEquals(2.0, rm.mean(), 1e-9);
        assertEquals(1.0, rm.std(), 1e-9);
        rm.update(new float[] {5});
        // all of [1, 2, 3, 5]: mean 2.75, unbiased variance 8.75 / 3
        assertEquals(2.75, rm.mean(), 1e-9);
        assertEquals(Math.sqrt(8.75 / 3), rm.std(), 1e-6);
        RunningMoments copy = new RunningMoments();
        copy.restore(rm.state());
        assertEquals(rm.std(), copy.std(), 0.0);
    }
}
