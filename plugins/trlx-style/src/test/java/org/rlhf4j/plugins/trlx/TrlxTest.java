package org.rlhf4j.plugins.trlx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.Experience;
import org.rlhf4j.api.ppo.PpoMath;

class TrlxTest {

    static Config defaults(String name) {
        return ConfigFactory.parseResources(TrlxTest.class.getClassLoader(), "reference.conf").getConfig("trlx." + name);
    }

    static Config with(String name, String overrides) {
        return ConfigFactory.parseString(overrides).withFallback(defaults(name));
    }

    @Test
    void adaptiveKlFollowsZieglersRule() {
        AdaptiveKlController kl = new AdaptiveKlController(with("adaptive-kl", "init-kl-coef = 0.1, target = 6, horizon = 10000"));
        // KL 9: e = clip(9/6 - 1) = 0.2 (clipped from 0.5); beta = 0.1 * (1 + 0.2 * 100 / 10000) = 0.1002
        kl.update(9, 100);
        assertEquals(0.1002, kl.coefficient(), 1e-12);
        // KL 3: e = -0.5 -> -0.2; beta = 0.1002 * (1 - 0.002) = 0.0999996
        kl.update(3, 100);
        assertEquals(0.1002 * 0.998, kl.coefficient(), 1e-12);
        // KL 6.6: e = 0.1; beta *= 1 + 0.1 * 50 / 10000
        kl.update(6.6, 50);
        assertEquals(0.1002 * 0.998 * 1.0005, kl.coefficient(), 1e-12);
        AdaptiveKlController copy = new AdaptiveKlController(defaults("adaptive-kl"));
        copy.restore(kl.state());
        assertEquals(kl.coefficient(), copy.coefficient(), 0.0);
        assertThrows(ConfigProblem.class, () -> new AdaptiveKlController(with("adaptive-kl", "target = 0")));
    }

    @Test
    void runningScalingThenClipping() {
        TokenLevelScheduler s = new TokenLevelScheduler(with("token-level", "scale-reward = running, cliprange-reward = 1.5"));
        // First batch [1, 2, 3]: running std 1 -> [1, 2, 3] clipped to [1, 1.5, 1.5]; the mean is not subtracted.
        assertArrayEquals(new float[] {1f, 1.5f, 1.5f}, s.scaleAndClip(new float[] {1, 2, 3}), 1e-6f);
        // Second batch [5]: all of [1, 2, 3, 5] have std sqrt(8.75 / 3) = 1.7078 -> 5 / 1.7078 = 2.93 -> 1.5
        assertArrayEquals(new float[] {1.5f}, s.scaleAndClip(new float[] {5}), 1e-6f);
        TokenLevelScheduler ref = new TokenLevelScheduler(with("token-level", "scale-reward = ref, cliprange-reward = 100"));
        ref.scaleAndClip(new float[] {0, 4}); // first rollout's std: sqrt(8) (unbiased)
        assertArrayEquals(new float[] {(float) (4 / Math.sqrt(8))}, ref.scaleAndClip(new float[] {4}), 1e-6f);
        assertThrows(ConfigProblem.class, () -> new TokenLevelScheduler(with("token-level", "scale-reward = sometimes")));
    }

    @Test
    void rewardsPerTokenScoresAndWhitenedAdvantages() {
        float[][] lp = {{-1f, -1f}, {-1f, -1f}};
        float[][] ref = {{-2f, -1f}, {-1f, -1f}};
        float[][] mask = {{1, 1}, {1, 0}};
        float[][] perToken = {{0.25f, 0f}, {0.5f, 7f}};
        Experience e = new Experience(lp, ref, new float[][] {{0, 0}, {0, 0}}, new float[] {2f, -1f}, perToken, mask);
        Advantages a = new TokenLevelScheduler(defaults("token-level")).schedule(e, 0.001);
        // row 0: kl [1, 0] -> [-0.001, 0] + per-token [0.25, 0] + score 2 at t=1 -> [0.249, 2]
        assertArrayEquals(new float[] {0.249f, 2f}, a.rewards()[0], 1e-6f);
        // row 1 ends at t=0: [0 + 0.5 - 1, 0] (the per-token score off the mask is ignored)
        assertArrayEquals(new float[] {-0.5f, 0f}, a.rewards()[1], 1e-6f);
        // whitened over the 3 answer tokens: mean 0, zero off the mask
        assertEquals(0.0, PpoMath.maskedMean(a.advantages(), mask), 1e-6);
        assertEquals(0f, a.advantages()[1][1], 0f);
    }
}
