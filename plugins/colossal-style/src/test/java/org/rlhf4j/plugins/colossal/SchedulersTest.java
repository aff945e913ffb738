package org.rlhf4j.plugins.colossal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.Experience;
import org.rlhf4j.api.ppo.LossSettings;
import org.rlhf4j.api.ppo.PpoLosses;

class SchedulersTest {

    static Config defaults(String name) {
        return ConfigFactory.parseResources(SchedulersTest.class.getClassLoader(), "reference.conf").getConfig("colossal." + name);
    }

    /** A two-turn answer: tokens at t = 0, 1 and 3; t = 2 is the user's second turn. */
    static final float[][] MULTI_TURN_MASK = {{1, 1, 0, 1}};

    @Test
    void sequenceLevelIsOneRewardMinusOneValue() {
        float l = 0.5f; // log pi - log ref on every answer token
        // The engine writes the sequence's one value on each answer token (valuePerSequence).
        Experience e = new Experience(new float[][] {{-1f, -1f, -1f, -1f}}, new float[][] {{-1.5f, -1.5f, 0f, -1.5f}},
                new float[][] {{0.4f, 0.4f, 0f, 0.4f}}, new float[] {2f}, null, MULTI_TURN_MASK);
        SequenceLevelScheduler s = new SequenceLevelScheduler(defaults("sequence-level"));
        assertTrue(s.valuePerSequence());
        Advantages a = s.schedule(e, 0.1);
        double kl = Math.exp(-l) - 1 + l; // Coati v1's log_ratio = ref - new: Schulman's k3, 0.1065307
        float reward = (float) (2 - 0.1 * kl);
        float adv = reward - 0.4f;
        assertArrayEquals(new float[] {adv, adv, 0f, adv}, a.advantages()[0], 1e-6f, "broadcast on answer tokens, not the gap");
        assertArrayEquals(new float[] {reward, reward, 0f, reward}, a.returns()[0], 1e-6f);
        assertArrayEquals(new float[] {0f, 0f, 0f, reward}, a.rewards()[0], 1e-6f);
        // kl_coef <= 0: compute_reward returns r itself
        assertEquals(2f - 0.4f, s.schedule(e, 0).advantages()[0][0], 1e-6f);
    }

    @Test
    void tokenLevelPutsTheClippedScoreOnEveryMaskedTokenOnly() {
        Experience e = new Experience(new float[][] {{-1f, -1f, -1f, -1f}}, new float[][] {{-1f, -2f, -1f, -1f}},
                new float[][] {{0f, 0f, 0f, 0f}}, new float[] {8f}, null, MULTI_TURN_MASK);
        Advantages a = new TokenLevelScheduler(defaults("token-level")).schedule(e, 0.1);
        // kl = [0, 1, -, 0] -> r = [5, 4.9, 0, 5]: the gap at t=2 gets nothing (upstream's [:mask.sum()] would)
        assertArrayEquals(new float[] {5f, 4.9f, 0f, 5f}, a.rewards()[0], 1e-6f);
        // GAE, V = 0: A3 = 5; A1 = 4.9 + 0.95 * 5 = 9.65 (the gap is skipped); A0 = 5 + 0.95 * 9.65 = 14.1675
        assertArrayEquals(new float[] {14.1675f, 9.65f, 0f, 5f}, a.advantages()[0], 1e-4f);
    }

    @Test
    void coatiV2ClampsTheRatioSkipsWildMinibatchesAndAveragesThePolicyLossPerSequence() {
        TokenLevelScheduler v2 = new TokenLevelScheduler(defaults("token-level"));
        LossSettings l = v2.losses();
        assertEquals(LossSettings.Aggregation.SEQUENCE_MEAN, l.aggregation());
        assertEquals(LossSettings.Aggregation.TOKEN_MEAN, v2.valueLosses().aggregation(), "ValueLoss: all tokens at once");
        assertEquals(0.2, v2.valueLosses().cliprangeValue(), 0);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray zero = m.create(new float[][] {{0f, 0f}});
            NDArray adv = m.create(new float[][] {{-1f, 1f}});
            NDArray mask = m.create(new float[][] {{1f, 1f}});
            // ratio [30, 1], mean 15.5 (kept); clamped to [10, 1]: min(-10, -1.2) = -10 and 1 -> (10 - 1) / 2
            PpoLosses.PolicyLoss wide = PpoLosses.policy(m.create(new float[][] {{(float) Math.log(30), 0f}}), zero, adv, mask, l);
            assertFalse(wide.skip());
            assertEquals(4.5f, wide.loss().getFloat(), 1e-4f);
            // ratio [50, 1]: mean 25.5 > 20, the minibatch is skipped
            assertTrue(PpoLosses.policy(m.create(new float[][] {{(float) Math.log(50), 0f}}), zero, adv, mask, l).skip());
        }
    }

    @Test
    void coatiV1HasNoClampNoSkipAndClipsValuesAtPointFour() {
        LossSettings l = new SequenceLevelScheduler(defaults("sequence-level")).losses();
        assertEquals(LossSettings.Aggregation.SEQUENCE_MEAN, l.aggregation());
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray zero = m.create(new float[][] {{0f, 0f}});
            NDArray adv = m.create(new float[][] {{-1f, 1f}});
            NDArray mask = m.create(new float[][] {{1f, 1f}});
            // ratio [50, 1], no clamp, no skip: min(-50, -1.2) = -50 and 1 -> (50 - 1) / 2
            PpoLosses.PolicyLoss wild = PpoLosses.policy(m.create(new float[][] {{(float) Math.log(50), 0f}}), zero, adv, mask, l);
            assertFalse(wild.skip());
            assertEquals(24.5f, wild.loss().getFloat(), 1e-3f);
            // V 1 from V_old 0 toward R 1: clipped to 0.4, 0.5 x max(0, 0.36) = 0.18
            NDArray one = m.create(new float[][] {{1f}});
            assertEquals(0.18f, PpoLosses.value(one, m.create(new float[][] {{0f}}), one, one, l).loss().getFloat(), 1e-6f);
        }
    }
}
