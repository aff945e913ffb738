package org.rlhf4j.plugins.deepspeed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.Experience;

class TokenLevelSchedulerTest {

    static Config defaults() {
        return ConfigFactory.parseResources(TokenLevelSchedulerTest.class.getClassLoader(), "reference.conf")
                .getConfig("deepspeed.token-level");
    }

    @Test
    void klOnEveryTokenAndTheClippedScoreOnTheLastOne() {
        // Two answers: the first ends at t=1 (t=2 is padding), the second fills all 3 positions.
        float[][] lp = {{-1f, -1f, -9f}, {-1f, -1f, -1f}};
        float[][] ref = {{-1.5f, -1f, -9f}, {-1f, -2f, -1f}};
        float[][] values = {{0f, 0f, 0f}, {0f, 0f, 0f}};
        float[][] mask = {{1, 1, 0}, {1, 1, 1}};
        Experience e = new Experience(lp, ref, values, new float[] {9f, -2f}, null, mask);
        Advantages a = new TokenLevelScheduler(defaults()).schedule(e, 0.1);
        // row 0: kl = [0.5, 0, -] -> r = [-0.05, 0 + clamp(9) = 5, 0]
        assertArrayEquals(new float[] {-0.05f, 5f, 0f}, a.rewards()[0], 1e-6f);
        // row 1: kl = [0, 1, 0] -> r = [0, -0.1, -2]
        assertArrayEquals(new float[] {0f, -0.1f, -2f}, a.rewards()[1], 1e-6f);
        // GAE with V = 0, gamma 1, lambda 0.95: row 0: A1 = 5, A0 = -0.05 + 0.95 * 5 = 4.7
        assertArrayEquals(new float[] {4.7f, 5f, 0f}, a.advantages()[0], 1e-5f);
        // row 1: A2 = -2; A1 = -0.1 + 0.95 * -2 = -2.0; A0 = 0 + 0.95 * -2.0 = -1.9
        assertArrayEquals(new float[] {-1.9f, -2.0f, -2f}, a.advantages()[1], 1e-5f);
        assertArrayEquals(a.advantages()[1], a.returns()[1], 1e-6f, "returns = A + V with V = 0");
    }

    @Test
    void lossesAreDeepSpeedChats() {
        var l = new TokenLevelScheduler(defaults()).losses();
        assertEquals(0.2, l.cliprange());
        assertEquals(0.2, l.cliprangeValue());
        assertEquals(Double.POSITIVE_INFINITY, l.ratioMax());
    }

    @Test
    void badSettingsAreNamed() {
        Config bad = ConfigFactory.parseString("clip-reward = 0").withFallback(defaults());
        ConfigProblem e = assertThrows(ConfigProblem.class, () -> new TokenLevelScheduler(bad));
        assertEquals("clip-reward", e.key());
    }
}
