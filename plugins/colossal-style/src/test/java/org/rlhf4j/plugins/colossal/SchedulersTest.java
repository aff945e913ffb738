package org.rlhf4j.plugins.colossal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.Experience;

class SchedulersTest {

    static Config defaults(String name) {
        return ConfigFactory.parseResources(SchedulersTest.class.getClassLoader(), "reference.conf").getConfig("colossal." + name);
    }

    /** A two-turn answer: tokens at t = 0, 1 and 3; t = 2 is the user's second turn. */
    static final float[][] MULTI_TURN_MASK = {{1, 1, 0, 1}};

    @Test
    void sequenceLevelIsOneRewardMinusOneValue() {
        float l = 0.5f; // log pi - log ref on every answer token
        Experience e = new Experience(new float[][] {{-1f, -1f, -1f, -1f}}, new float[][] {{-1.5f, -1.5f, 0f, -1.5f}},
                new float[][] {{0.4f, 0.4f, 0.4f, 0.4f}}, new float[] {2f}, null, MULTI_TURN_MASK);
        Advantages a = new SequenceLevelScheduler(defaults("sequence-level")).schedule(e, 0.1);
        double kl = Math.exp(l) - 1 - l; // Coati's (exp(l) - 1) - l = 0.1487213
        float reward = (float) (2 - 0.1 * kl);
        float adv = reward - 0.4f;
        assertArrayEquals(new float[] {adv, adv, 0f, adv}, a.advantages()[0], 1e-6f, "broadcast on answer tokens, not the gap");
        assertArrayEquals(new float[] {reward, reward, 0f, reward}, a.returns()[0], 1e-6f);
        assertArrayEquals(new float[] {0f, 0f, 0f, reward}, a.rewards()[0], 1e-6f);
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
    void coatiLossSettings() {
        var l = new TokenLevelScheduler(defaults("token-level")).losses();
        assertEquals(10.0, l.ratioMax());
        assertEquals(20.0, l.skipRatioAbove());
        assertEquals(0.2, l.cliprange());
    }
}
