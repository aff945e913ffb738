package org.rlhf4j.plugins.deepspeed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

class TokenLevelSchedulerTest {

    static Config defaults() {
        return ConfigFactory.parseResources(TokenLevelSchedulerTest.class.getClassLoader(), "reference.conf")
                .getConfig("deepspeed.token-level");
    }

    @Test
    void byDefaultTheScoreLandsOnePastTheLastAnswerTokenAsInDeepSpeedChat() {
        // Two answers: the first ends at t=1 (t=2 is padding, whose KL term and value DS-Chat keeps), the second fills
        // all 3 positions.
        float[][] lp = {{-1f, -1f, -3f}, {-1f, -1f, -1f}};
        float[][] ref = {{-1.5f, -1f, -2f}, {-1f, -2f, -1f}};
        float[][] values = {{0f, 0f, 1f}, {0f, 0f, 0f}};
        float[][] mask = {{1, 1, 0}, {1, 1, 1}};
        Experience e = new Experience(lp, ref, values, new float[] {9f, -2f}, null, mask);
        Advantages a = new TokenLevelScheduler(defaults()).schedule(e, 0.1);
        // row 0: kl = [0.5, 0, -1] -> r = [-0.05, 0, 0.1 + clamp(9) = 5.1] at the padding position t=2
        assertArrayEquals(new float[] {-0.05f, 0f, 5.1f}, a.rewards()[0], 1e-6f);
        // GAE, gamma 1, lambda 0.95, V = [0, 0, 1]: d2 = 5.1 - 1 = 4.1; d1 = 0 + 1 - 0 = 1, A1 = 1 + 0.95 * 4.1 = 4.895;
        // A0 = -0.05 + 0.95 * 4.895 = 4.60025
        assertArrayEquals(new float[] {4.60025f, 4.895f}, java.util.Arrays.copyOf(a.advantages()[0], 2), 1e-5f);
        // row 1 fills the row: the score lands on its last token. kl = [0, 1, 0] -> r = [0, -0.1, -2]
        assertArrayEquals(new float[] {0f, -0.1f, -2f}, a.rewards()[1], 1e-6f);
        // A2 = -2; A1 = -0.1 + 0.95 * -2 = -2.0; A0 = 0 + 0.95 * -2.0 = -1.9
        assertArrayEquals(new float[] {-1.9f, -2.0f, -2f}, a.advantages()[1], 1e-5f);
        assertArrayEquals(a.advantages()[1], a.returns()[1], 1e-6f, "returns = A + V with V = 0");
    }

    @Test
    void lastTokenPlacementPutsTheScoreOnTheLastAnswerToken() {
        float[][] lp = {{-1f, -1f, -3f}};
        float[][] ref = {{-1.5f, -1f, -2f}};
        Experience e = new Experience(lp, ref, new float[][] {{0f, 0f, 1f}}, new float[] {9f}, null, new float[][] {{1, 1, 0}});
        Config c = ConfigFactory.parseString("score-placement = last-token").withFallback(defaults());
        Advantages a = new TokenLevelScheduler(c).schedule(e, 0.1);
        // kl = [0.5, 0, -] -> r = [-0.05, 0 + clamp(9) = 5, 0]; A1 = 5, A0 = -0.05 + 0.95 * 5 = 4.7
        assertArrayEquals(new float[] {-0.05f, 5f, 0f}, a.rewards()[0], 1e-6f);
        assertArrayEquals(new float[] {4.7f, 5f, 0f}, a.advantages()[0], 1e-5f);
        ConfigProblem p = assertThrows(ConfigProblem.class,
                () -> new TokenLevelScheduler(ConfigFactory.parseString("score-placement = eos").withFallback(defaults())));
        assertEquals("score-placement", p.key());
    }

    @Test
    void theLossesClipTheRatioAndTheValueAtPointTwoAndNeverClampOrSkip() {
        LossSettings l = new TokenLevelScheduler(defaults()).losses();
        try (NDManager m = NDManager.newBaseManager()) {
            // ratio [1.5, 30], A [1, -1]: min(1.5, 1.2) = 1.2 and min(-30, -1.2) = -30 -> (-1.2 + 30) / 2 = 14.4
            NDArray logProbs = m.create(new float[][] {{(float) Math.log(1.5), (float) Math.log(30)}});
            PpoLosses.PolicyLoss pl = PpoLosses.policy(logProbs, m.create(new float[][] {{0f, 0f}}), m.create(new float[][] {{1f, -1f}}),
                    m.create(new float[][] {{1f, 1f}}), l);
            assertEquals(14.4f, pl.loss().getFloat(), 1e-4f);
            assertFalse(pl.skip(), "a mean ratio of 15.75 is trained on");
            // V 1 from V_old 0 toward R 1: clipped to 0.2, 0.5 x max(0, 0.64) = 0.32
            NDArray one = m.create(new float[][] {{1f}});
            assertEquals(0.32f, PpoLosses.value(one, m.create(new float[][] {{0f}}), one, one, l.cliprangeValue()).loss().getFloat(), 1e-6f);
        }
    }

    @Test
    void badSettingsAreNamed() {
        Config bad = ConfigFactory.parseString("clip-reward = 0").withFallback(defaults());
        ConfigProblem e = assertThrows(ConfigProblem.class, () -> new TokenLevelScheduler(bad));
        assertEquals("clip-reward", e.key());
    }
}
