package org.rlhf4j.plugins.trlx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        AdaptiveKlController copy = new AdaptiveKlController(with("adaptive-kl", "target = 6"));
        copy.restore(kl.state());
        assertEquals(kl.coefficient(), copy.coefficient(), 0.0);
        assertThrows(ConfigProblem.class, () -> new AdaptiveKlController(with("adaptive-kl", "target = 0")));
        // TrlX's default target None is the fixed controller: choosing this one needs a target.
        ConfigProblem p = assertThrows(ConfigProblem.class, () -> new AdaptiveKlController(defaults("adaptive-kl")));
        assertTrue(p.getMessage().contains("target"), p.getMessage());
    }

    @Test
    void adaptiveKlReplaysOneUpdatePerEpochWithTheMinibatch() {
        // TrlX: post_backward_callback after each of ppo_epochs epochs, n_steps = train.batch_size; not once with the
        // rollout size. KL 9 -> e = 0.2: beta = 0.1 * (1 + 0.2 * 32 / 10000)^4, not 0.1 * (1 + 0.2 * 128 / 10000).
        AdaptiveKlController kl = new AdaptiveKlController(with("adaptive-kl", "init-kl-coef = 0.1, target = 6, horizon = 10000"));
        kl.update(9, 128, 4, 32);
        assertEquals(0.1 * Math.pow(1 + 0.2 * 32 / 10000.0, 4), kl.coefficient(), 1e-15);
    }

    static float[][] column(float... xs) {
        float[][] out = new float[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            out[i] = new float[] {xs[i]};
        }
        return out;
    }

    static float[] firsts(float[][] xs) {
        float[] out = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            out[i] = xs[i][0];
        }
        return out;
    }

    @Test
    void clippingThenRunningScaling() {
        TokenLevelScheduler s = new TokenLevelScheduler(with("token-level", "scale-reward = running, cliprange-reward = 1.5"));
        float[][] ones = column(1, 1, 1);
        // [1, 2, 3] is clipped first to [1, 1.5, 1.5]; the moments see those: std sqrt(1/18 * 3/2) = sqrt(1/12); then
        // every score is divided by it, so scaled scores may pass the clip range (TrlX's order).
        double std = Math.sqrt(1.0 / 12);
        assertArrayEquals(new float[] {(float) (1 / std), (float) (1.5 / std), (float) (1.5 / std)},
                firsts(s.clipAndScale(column(1, 2, 3), ones)), 1e-5f);
        TokenLevelScheduler ref = new TokenLevelScheduler(with("token-level", "scale-reward = ref, cliprange-reward = 100"));
        ref.clipAndScale(column(0, 4), column(1, 1)); // first rollout's std: sqrt(8) (unbiased)
        assertArrayEquals(new float[] {(float) (4 / Math.sqrt(8))}, firsts(ref.clipAndScale(column(4), column(1))), 1e-6f);
        assertThrows(ConfigProblem.class, () -> new TokenLevelScheduler(with("token-level", "scale-reward = sometimes")));
    }

    @Test
    void densePerTokenScoresAreClippedAndScaledToo() {
        // One row, per-token scores [20, -1] and sequence score 3 (at the last token: [20, 2]): clipped to [10, 2]
        // (TrlX clips dense scores elementwise, accelerate_ppo_trainer.py:364-365); "ignored" scaling leaves them.
        float[][] mask = {{1, 1}};
        Experience e = new Experience(new float[][] {{-1, -1}}, new float[][] {{-1, -1}}, new float[][] {{0, 0}},
                new float[] {3f}, new float[][] {{20f, -1f}}, mask);
        Advantages a = new TokenLevelScheduler(defaults("token-level")).schedule(e, 0.001);
        assertArrayEquals(new float[] {10f, 2f}, a.rewards()[0], 1e-6f);
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
        // row 1 ends at t=0: TrlX's row runs one past it, the score lands there: [0 + 0.5, -1] (the per-token score
        // off the answer is ignored)
        assertArrayEquals(new float[] {0.5f, -1f}, a.rewards()[1], 1e-6f);
        Advantages instructGpt = new TokenLevelScheduler(with("token-level", "score-placement = last-token")).schedule(e, 0.001);
        assertArrayEquals(new float[] {-0.5f, 0f}, instructGpt.rewards()[1], 1e-6f);
        // schedule leaves them raw; TrlX whitens each minibatch over its rows (each the answer and one past it) padded
        // to the longest: here all 4 entries, mean and unbiased var.
        float[][] raw = a.advantages();
        float[][] white = new TokenLevelScheduler(defaults("token-level")).minibatchAdvantages(raw, mask);
        double mean = (raw[0][0] + raw[0][1] + raw[1][0] + raw[1][1]) / 4.0;
        double var = (sq(raw[0][0] - mean) + sq(raw[0][1] - mean) + sq(raw[1][0] - mean) + sq(raw[1][1] - mean)) / 3;
        assertEquals((raw[0][1] - mean) / Math.sqrt(var + 1e-8), white[0][1], 1e-5);
        assertEquals((raw[1][0] - mean) / Math.sqrt(var + 1e-8), white[1][0], 1e-5);
        assertEquals(0f, white[1][1], 0f, "off the answer");
        // whiten = false trains on the raw advantages
        assertArrayEquals(raw[0], new TokenLevelScheduler(with("token-level", "whiten = false")).minibatchAdvantages(raw, mask)[0]);
        // and the losses leave the stop token out, as TrlX's attention mask does with GPT-2 (pad == eos)
        assertEquals(false, new TokenLevelScheduler(defaults("token-level")).trainsOnStopToken());
    }

    static double sq(double x) {
        return x * x;
    }
}
