package org.rlhf4j.plugins.openrlhf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.Experience;
import org.rlhf4j.api.ppo.LossSettings;

/** What the five estimators declare to the engine, and the settings that change their losses. */
class EstimatorSettingsTest {

    @Test
    void groupEstimatorsNeedTwoAnswersPerPromptAndNoneHasACritic() {
        for (String name : new String[] {"reinforce-baseline", "rloo", "group-norm", "dr-grpo"}) {
            AdvantageEstimator e = OpenRlhfGoldenTest.estimator(name, false);
            assertEquals(2, e.minimumGroupSize(), name);
            assertFalse(e.needsCritic(), name);
        }
        assertEquals(1, OpenRlhfGoldenTest.estimator("reinforce", false).minimumGroupSize());
    }

    @Test
    void defaultsAreOpenRlhfsSymmetricClipWithTheKlInTheReward() {
        LossSettings l = OpenRlhfGoldenTest.estimator("group-norm", false).losses();
        assertEquals(0.2, l.cliprange());
        assertEquals(0.2, l.cliprangeHigh());
        assertNull(l.klLoss());
        assertEquals(LossSettings.Aggregation.TOKEN_MEAN, l.aggregation());
    }

    @Test
    void klUseLossMovesTheKlFromTheRewardsIntoTheLoss() {
        Config s = settings("group-norm").withValue("kl-use-loss", ConfigValueFactory.fromAnyRef(true))
                .withValue("kl-estimator", ConfigValueFactory.fromAnyRef("k3"))
                .withValue("eps-clip-high", ConfigValueFactory.fromAnyRef(0.28));
        GroupNormEstimator e = new GroupNormEstimator(s);
        assertNotNull(e.losses().klLoss());
        assertEquals(LossSettings.KlEstimator.K3, e.losses().klLoss().estimator());
        assertEquals(0.28, e.losses().cliprangeHigh());
        // KL in the loss: a large log-ratio leaves the rewards alone (score at the last token only).
        float[][] mask = {{1, 1}, {1, 1}};
        float[][] lp = {{5, 5}, {5, 5}};
        Advantages a = e.schedule(new Experience(lp, new float[2][2], new float[2][2], new float[] {1, 0}, null, mask, 2), 0.5);
        assertArrayEquals(new float[] {0, (float) (0.5 / (Math.sqrt(0.5) + 1e-9))}, a.rewards()[0], 1e-6f);
    }

    @Test
    void aConstantGroupHasZeroAdvantageNotNaN() {
        float[][] mask = {{1, 1}, {1, 0}, {1, 1}, {1, 0}};
        float[][] z = new float[4][2];
        Experience e = new Experience(z, z, z, new float[] {3, 3, 1, 2}, null, mask, 2);
        for (String name : new String[] {"rloo", "group-norm", "dr-grpo"}) {
            Advantages a = OpenRlhfGoldenTest.estimator(name, false).schedule(e, 0.01);
            assertEquals(0f, a.advantages()[0][0], name);
            assertEquals(0f, a.advantages()[1][0], name);
            assertTrue(a.advantages()[3][0] > 0 && a.advantages()[2][0] < 0, name);
        }
    }

    @Test
    void misspelledEstimatorIsNamed() {
        Config s = settings("rloo").withValue("kl-estimator", ConfigValueFactory.fromAnyRef("k4"));
        ConfigProblem p = assertThrows(ConfigProblem.class, () -> new RlooEstimator(s));
        assertTrue(p.getMessage().contains("kl-estimator") && p.getMessage().contains("k1, k2, k3"), p.getMessage());
    }

    private static Config settings(String name) {
        return ConfigFactory.parseResources("reference.conf").resolve().getConfig("openrlhf." + name);
    }
}
