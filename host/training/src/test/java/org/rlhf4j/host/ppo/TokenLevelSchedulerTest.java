package org.rlhf4j.host.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.Experience;

/** The host's built-in schedule: KL per token, the score at the last answer token (clamped only when asked), GAE. */
class TokenLevelSchedulerTest {

    private static TokenLevelScheduler scheduler(double clip) {
        return new TokenLevelScheduler(ConfigFactory.parseString(
                "clip-reward = " + clip + ", gamma = 1.0, lambda = 0.95, cliprange = 0.2, cliprange-value = 0.2"));
    }

    // one row: prompt position 0 (masked out), answer positions 1..3; log pi - log ref = 0.5 at every answer token
    private static final Experience E = new Experience(new float[][] {{0f, -1f, -1f, -1f}}, new float[][] {{0f, -1.5f, -1.5f, -1.5f}},
            new float[][] {{0f, 0f, 0f, 0f}}, new float[] {8f}, null, new float[][] {{0f, 1f, 1f, 1f}});

    @Test
    void theScoreLandsOnTheLastAnswerTokenUnclampedByDefault() {
        Advantages a = scheduler(0).schedule(E, 0.1);
        assertArrayEquals(new float[] {0f, -0.05f, -0.05f, 8f - 0.05f}, a.rewards()[0], 1e-6f);
        // values 0, gamma 1: the advantage at t is lambda-discounted sum of later rewards
        float r = -0.05f;
        float last = 8f - 0.05f;
        assertEquals(last, a.advantages()[0][3], 1e-5);
        assertEquals(r + 0.95f * last, a.advantages()[0][2], 1e-5);
        assertEquals(r + 0.95f * (r + 0.95f * last), a.advantages()[0][1], 1e-5);
    }

    @Test
    void clipRewardClampsTheScoreFirst() {
        assertEquals(5f - 0.05f, scheduler(5).schedule(E, 0.1).rewards()[0][3], 1e-6f);
    }

    @Test
    void aNegativeClipIsRefusedNamingTheKey() {
        ConfigProblem p = assertThrows(ConfigProblem.class, () -> scheduler(-1));
        assertEquals(true, p.getMessage().contains("clip-reward"), p.getMessage());
    }
}
