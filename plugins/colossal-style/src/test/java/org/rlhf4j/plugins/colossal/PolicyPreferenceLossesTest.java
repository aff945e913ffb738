package org.rlhf4j.plugins.colossal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.reward.PolicyPairBatch;
import org.rlhf4j.api.reward.PolicyPreferenceLoss;

/**
 * Golden values of Coati's DPO, SimPO and ORPO on two hand-made pairs, and their gradients with respect to the
 * policy's log-probabilities (computed by hand from the closed forms in the comments).
 */
class PolicyPreferenceLossesTest {

    private static final Config DEFAULTS = ConfigFactory.parseResources(PolicyPreferenceLossesTest.class.getClassLoader(),
            "reference.conf").getConfig("colossal");

    /** Loss value and the gradients of the chosen and rejected summed log-probabilities. */
    private record Outcome(float loss, float[] chosenGrad, float[] rejectedGrad, float[] margin) {
    }

    private static Outcome run(PolicyPreferenceLoss loss, float[] pc, float[] pr, float[] lc, float[] lr, float[] rc, float[] rr) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray chosen = m.create(pc);
            NDArray rejected = m.create(pr);
            chosen.setRequiresGradient(true);
            rejected.setRequiresGradient(true);
            float value;
            float[] margin;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                PolicyPairBatch b = new PolicyPairBatch(chosen, rejected, m.create(lc), m.create(lr),
                        rc == null ? null : m.create(rc), rr == null ? null : m.create(rr));
                NDArray l = loss.loss(b);
                gc.backward(l);
                value = l.getFloat();
                margin = loss.margin(b).toFloatArray();
            }
            return new Outcome(value, chosen.getGradient().toFloatArray(), rejected.getGradient().toFloatArray(), margin);
        }
    }

    @Test
    void dpoOnSummedLogRatiosWithBetaPointOne() {
        DpoLoss dpo = new DpoLoss(DEFAULTS.getConfig("dpo"));
        assertTrue(dpo.needsReference());
        // x = beta ((pi_c - ref_c) - (pi_r - ref_r)): pair 1: 0.1 ((-3 + 3.5) - (-4 + 3.5)) = 0.1;
        // pair 2: 0.1 ((-5 + 4) - (-2 + 3)) = -0.2. Lengths play no part.
        Outcome o = run(dpo, new float[] {-3, -5}, new float[] {-4, -2}, new float[] {7, 1}, new float[] {2, 9},
                new float[] {-3.5f, -4}, new float[] {-3.5f, -3});
        // L = (log(1 + e^-0.1) + log(1 + e^0.2)) / 2 = (0.6443967 + 0.7981389) / 2
        assertEquals(0.7212678, o.loss(), 1e-6);
        assertArrayEquals(new float[] {0.1f, -0.2f}, o.margin(), 1e-6f);
        // dL/dpi_c = -beta sigmoid(-x) / P; dL/dpi_r is its negative
        assertArrayEquals(new float[] {-0.0237510f, -0.0274917f}, o.chosenGrad(), 1e-6f);
        assertArrayEquals(new float[] {0.0237510f, 0.0274917f}, o.rejectedGrad(), 1e-6f);
    }

    @Test
    void simpoIsLengthNormalisedWithMarginGammaAndNoReference() {
        SimPoLoss simpo = new SimPoLoss(DEFAULTS.getConfig("simpo"));
        assertFalse(simpo.needsReference());
        // x = beta pi_c / |y_c| - beta pi_r / |y_r| - gamma: pair 1: 0.1 (-3/2 + 8/4) - 1.4 = -1.35;
        // pair 2: 0.1 (-6/4 + 1/1) - 1.4 = -1.45
        Outcome o = run(simpo, new float[] {-3, -6}, new float[] {-8, -1}, new float[] {2, 4}, new float[] {4, 1}, null, null);
        // L = (log(1 + e^1.35) + log(1 + e^1.45)) / 2
        assertEquals(1.6206158, o.loss(), 1e-5);
        assertArrayEquals(new float[] {0.05f, -0.05f}, o.margin(), 1e-6f);  // the reward margin leaves gamma out
        // dL/dpi_c = -(beta / |y_c|) sigmoid(-x) / P; dL/dpi_r = (beta / |y_r|) sigmoid(-x) / P
        assertArrayEquals(new float[] {-0.0198532f, -0.0101250f}, o.chosenGrad(), 1e-6f);
        assertArrayEquals(new float[] {0.0099266f, 0.0404999f}, o.rejectedGrad(), 1e-6f);
    }

    @Test
    void orpoAddsTheOddsRatioTermToTheChosenNll() {
        OrpoLoss orpo = new OrpoLoss(DEFAULTS.getConfig("orpo"));
        assertFalse(orpo.needsReference());
        // mean log-probs m_c = [-2/4, -6/3] = [-0.5, -2], m_r = [-8/4, -2/2] = [-2, -1];
        // log odds(m) = m - log(1 - e^m); ratio = [2.2873387, -1.3132617]
        Outcome o = run(orpo, new float[] {-2, -6}, new float[] {-8, -2}, new float[] {4, 3}, new float[] {4, 2}, null, null);
        // NLL = (0.5 + 2) / 2 = 1.25; odds term = (log(1 + e^-2.2873387) + log(1 + e^1.3132617)) / 2 = 0.8240753
        assertEquals(1.25 + 0.1 * 0.8240753, o.loss(), 1e-5);
        assertArrayEquals(new float[] {2.2873387f, -1.3132617f}, o.margin(), 1e-5f);
        // dL/dpi_c = -1/(P |y_c|) - lambda sigmoid(-ratio) / (1 - e^m_c) / (P |y_c|);
        // dL/dpi_r = lambda sigmoid(-ratio) / (1 - e^m_r) / (P |y_r|)
        assertArrayEquals(new float[] {-0.1279283f, -0.1818567f}, o.chosenGrad(), 1e-6f);
        assertArrayEquals(new float[] {0.0013326f, 0.0311673f}, o.rejectedGrad(), 1e-6f);
    }

    @Test
    void orpoStaysFiniteWhenAnAnswerIsCertain() {
        OrpoLoss orpo = new OrpoLoss(DEFAULTS.getConfig("orpo"));
        // log pi(y_c) = 0: p = 1 and log(1 - p) would be -infinity without the cap
        Outcome o = run(orpo, new float[] {0f}, new float[] {-3f}, new float[] {3}, new float[] {3}, null, null);
        assertTrue(Float.isFinite(o.loss()) && Float.isFinite(o.chosenGrad()[0]) && Float.isFinite(o.rejectedGrad()[0]), o.toString());
    }

    @Test
    void badCoefficientsAreNamed() {
        ConfigProblem p = assertThrows(ConfigProblem.class, () -> new DpoLoss(ConfigFactory.parseString("beta = 0")));
        assertTrue(p.getMessage().contains("beta"), p.getMessage());
        assertThrows(ConfigProblem.class, () -> new SimPoLoss(ConfigFactory.parseString("beta = 0.1, gamma = -1")));
        assertThrows(ConfigProblem.class, () -> new OrpoLoss(ConfigFactory.parseString("lambda = -0.1")));
    }
}
