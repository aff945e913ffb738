package com.example.rlhf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.Experience;
import org.rlhf4j.host.testkit.Experiences;
import org.rlhf4j.host.testkit.PluginSettings;

/** Unit test: the schedule on a hand-made Experience, checked against values worked out by hand. */
class ReinforceSchedulerTest {

    private static ReinforceScheduler scheduler(String hocon) {
        return new ReinforceScheduler(PluginSettings.of("example.reinforce", hocon));
    }

    @Test
    void batchBaselineIsTheMeanReturnAndEveryAnswerTokenGetsTheSequenceAdvantage() {
        // Row 0: 3 answer tokens, score 2; row 1: 1 answer token then padding, score -1. No KL (klCoef 0).
        Experience e = Experiences.of(2, 3).answerLengths(3, 1).scores(2.0, -1.0).values(7.0).build();
        Advantages a = scheduler("example.reinforce.baseline = batch").schedule(e, 0.0);
        // Returns 2 and -1, baseline 0.5: advantages 1.5 and -1.5 on the answer tokens, 0 on padding.
        assertArrayEquals(new float[] {1.5f, 1.5f, 1.5f}, a.advantages()[0]);
        assertArrayEquals(new float[] {-1.5f, 0f, 0f}, a.advantages()[1]);
        assertArrayEquals(new float[] {2f, 2f, 2f}, a.returns()[0], "the return, not GAE's");
        assertArrayEquals(new float[] {0f, 0f, 2f}, a.rewards()[0], 1e-6f, "the score sits on the last answer token");
    }

    @Test
    void itIsCriticFree() {
        org.junit.jupiter.api.Assertions.assertFalse(scheduler("").needsCritic(), "the host loads and trains no critic for it");
    }

    @Test
    void theKlPenaltyIsPartOfTheReturnAndTheScoreIsClamped() {
        // k1 KL of 0.5 on each of 2 tokens, coefficient 0.1: -0.1 in all; score 9 clamped to 5.
        Experience e = Experiences.of(1, 2).scores(9.0).uniformKl(0.5).build();
        Advantages a = scheduler("example.reinforce { baseline = batch, clip-reward = 5 }").schedule(e, 0.1);
        assertEquals(-0.05f + 5f - 0.05f, a.returns()[0][0], 1e-6);
        assertEquals(0f, a.advantages()[0][0], 1e-6, "one sequence: its own mean is the baseline");
    }

    @Test
    void theRunningBaselineLagsOneBatchAndSurvivesACheckpoint() {
        ReinforceScheduler s = scheduler("example.reinforce.baseline-decay = 0.5");
        Experience first = Experiences.of(2, 1).scores(1.0, 3.0).build();   // mean 2
        Experience second = Experiences.of(2, 1).scores(2.0, 4.0).build();  // mean 3
        assertEquals(-1f, s.schedule(first, 0).advantages()[0][0], 1e-6, "first batch: its own mean (2)");
        Map<String, Double> saved = s.state();
        assertEquals(2.0, saved.get("baseline"), 1e-9);

        ReinforceScheduler resumed = scheduler("example.reinforce.baseline-decay = 0.5");
        resumed.restore(saved);
        // The baseline before the second batch is 2: advantages 0 and 2; afterwards 0.5*2 + 0.5*3 = 2.5.
        Advantages a = resumed.schedule(second, 0);
        assertEquals(0f, a.advantages()[0][0], 1e-6);
        assertEquals(2f, a.advantages()[1][0], 1e-6);
        assertEquals(2.5, resumed.state().get("baseline"), 1e-9);
    }
}
