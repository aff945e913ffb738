package org.rlhf4j.plugins.beaver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.Experience;
import org.rlhf4j.api.ppo.LossSettings;
import org.rlhf4j.api.ppo.PpoLosses;

class BeaverTest {

    static Config settings(String name, String overrides) {
        Config ref = ConfigFactory.parseResources(BeaverTest.class.getClassLoader(), "reference.conf");
        return ConfigFactory.parseString(overrides).atPath("beaver." + name).withFallback(ref).resolve().getConfig("beaver." + name);
    }

    @Test
    void lambdaRisesWhenCostsExceedTheThresholdAndIsCapped() {
        LagrangianConstraint c = new LagrangianConstraint(settings("lagrangian", "lambda-lr = 0.1"));
        assertEquals(1.0, c.multiplier(), 1e-12);
        c.update(new double[] {1.0, 0.0});
        assertEquals(1.0, c.multiplier(), 1e-12, "the costs enter the window; lambda steps before a minibatch");
        // J_c = 0.5 > 0: log_lambda = 0 + 0.1 * 0.5 * exp(0) = 0.05
        c.beforeMinibatch();
        assertEquals(Math.exp(0.05), c.multiplier(), 1e-12);
        // a second minibatch of the same rollout steps again on the same J_c (Safe-RLHF's rl_step)
        c.beforeMinibatch();
        assertEquals(Math.exp(0.05 + 0.05 * Math.exp(0.05)), c.multiplier(), 1e-12);
        // window mean of [1, 0, -1, -1] = -0.25 < 0
        double before = Math.log(c.multiplier());
        c.update(new double[] {-1.0, -1.0});
        c.beforeMinibatch();
        assertEquals(Math.exp(before - 0.025 * Math.exp(before)), c.multiplier(), 1e-12);

        LagrangianConstraint capped = new LagrangianConstraint(settings("lagrangian", "lambda-lr = 100, lambda-max = 5"));
        capped.update(new double[] {10.0});
        capped.beforeMinibatch();
        assertEquals(5.0, capped.multiplier(), 1e-9, "log_lambda is clamped at log(lambda_max)");
    }

    @Test
    void updateDelayAndWindowAndCheckpoint() {
        LagrangianConstraint c = new LagrangianConstraint(settings("lagrangian", "lambda-update-delay-steps = 1, episode-cost-window = 2"));
        c.update(new double[] {5.0});
        c.beforeMinibatch();
        assertEquals(1.0, c.multiplier(), 1e-12, "no update during the delay, counted in minibatch updates");
        c.update(new double[] {3.0, -1.0}); // window keeps [3, -1]: J_c = 1 -> log_lambda = 0.1
        c.beforeMinibatch();
        assertEquals(Math.exp(0.1), c.multiplier(), 1e-12);
        LagrangianConstraint copy = new LagrangianConstraint(settings("lagrangian", "episode-cost-window = 2"));
        copy.restore(c.state());
        copy.update(new double[] {-1.0}); // window [-1, -1]: J_c = -1 -> 0.1 - 0.1 * exp(0.1)
        copy.beforeMinibatch();
        assertEquals(Math.exp(0.1 - 0.1 * Math.exp(0.1)), copy.multiplier(), 1e-12);
        assertThrows(ConfigProblem.class, () -> new LagrangianConstraint(settings("lagrangian", "lambda-init = 0")));
    }

    @Test
    void actorAdvantageMixesAndNormalisesAndShapingShapesTheScore() {
        LagrangianConstraint c = new LagrangianConstraint(settings("lagrangian", "lambda-init = 3"));
        assertTrue(c.needsCostCritic());
        // (A_r - 3 A_c) / 4
        assertArrayEquals(new float[] {(2f - 3f) / 4f, (-1f - 0f) / 4f},
                c.actorAdvantage(new float[][] {{2f, -1f}}, new float[][] {{1f, 0f}})[0], 1e-6f);
        RewardShapingConstraint shaping = new RewardShapingConstraint(settings("reward-shaping", "lambda = 0.5"));
        assertFalse(shaping.needsCostCritic(), "one critic, on the shaped score");
        // reward - 0.5 cost
        assertArrayEquals(new float[] {1.5f, -1f}, shaping.shapeScores(new float[] {2f, -1f}, new float[] {1f, 0f}), 1e-6f);
    }

    @Test
    void costsCarryThePositiveKlAndBothSidesAreClamped() {
        Experience e = new Experience(new float[][] {{-1f, -1f}}, new float[][] {{-2f, -1f}}, new float[][] {{0f, 0f}},
                new float[] {80f}, null, new float[][] {{1, 1}});
        Advantages costs = new LagrangianConstraint(settings("lagrangian", "")).costAdvantages(e, 0.1);
        // kl = [1, 0]: costs = [+0.1, 0 + 80 -> clamped 50]
        assertArrayEquals(new float[] {0.1f, 50f}, costs.rewards()[0], 1e-6f);
        Advantages rewards = new TokenLevelScheduler(settings("token-level", "")).schedule(e, 0.1);
        assertArrayEquals(new float[] {-0.1f, 50f}, rewards.rewards()[0], 1e-6f);
    }

    @Test
    void theLossesClipTheRatioAtPointTwoAndTheValueAtFive() {
        LossSettings l = new TokenLevelScheduler(settings("token-level", "")).losses();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray one = m.create(new float[][] {{1f}});
            NDArray zero = m.create(new float[][] {{0f}});
            // ratio 1.5 with a positive advantage is clipped at 1 + 0.2
            assertEquals(-1.2f, PpoLosses.policy(m.create(new float[][] {{(float) Math.log(1.5)}}), zero, one, one, l).loss().getFloat(), 1e-5f);
            // V 8 from V_old 0 toward R 10: clipped to 5, 0.5 x max((8 - 10)^2, (5 - 10)^2) = 12.5 (a clip of 0.2 would give 48.02)
            assertEquals(12.5f, PpoLosses.value(m.create(new float[][] {{8f}}), zero, m.create(new float[][] {{10f}}), one,
                    l).loss().getFloat(), 1e-5f);
            assertEquals(LossSettings.Aggregation.SEQUENCE_MEAN, l.aggregation(), "Safe-RLHF's masked_mean: per sequence, then the batch");
        }
    }
}
