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
    void simpoKeepsTheReferenceUnlessDisabled() {
        assertTrue(new SimPoLoss(DEFAULTS.getConfig("simpo")).needsReference(), "train_dpo.py keeps a reference model");
        SimPoLoss free = new SimPoLoss(ConfigFactory.parseString("reference = false").withFallback(DEFAULTS.getConfig("simpo")));
        assertFalse(free.needsReference());
        // reference-free: x = beta (pi_c / (|y_c| + 0.01) - pi_r / (|y_r| + 0.01)) - gamma
        Outcome o = run(free, new float[] {-3}, new float[] {-8}, new float[] {2}, new float[] {4}, null, null);
        double x = 0.1 * (-3 / 2.01 + 8 / 4.01) - 1.4;
        assertEquals(Math.log1p(Math.exp(-x)), o.loss(), 1e-6);
        assertArrayEquals(new float[] {(float) (x + 1.4)}, o.margin(), 1e-6f, "the reward margin leaves gamma out");
    }

    @Test
    void orpoStaysFiniteWhenAnAnswerIsCertain() {
        try (NDManager m = NDManager.newBaseManager()) {
            // every chosen token has log-probability 0: p = 1, and log(1.0001 - 1) stays finite
            NDArray lp = m.create(new float[][] {{0f, 0f}});
            NDArray mask = m.create(new float[][] {{1f, 1f}});
            assertTrue(Float.isFinite(OrpoLoss.pooledLogOdds(lp, mask).getFloat()));
        }
    }

    @Test
    void badCoefficientsAreNamed() {
        ConfigProblem p = assertThrows(ConfigProblem.class, () -> new DpoLoss(ConfigFactory.parseString("beta = 0")));
        assertTrue(p.getMessage().contains("beta"), p.getMessage());
        assertThrows(ConfigProblem.class, () -> new SimPoLoss(ConfigFactory.parseString("beta = 0.1, gamma = -1, reference = true")));
        assertThrows(ConfigProblem.class, () -> new OrpoLoss(ConfigFactory.parseString("lambda = -0.1")));
    }
}
