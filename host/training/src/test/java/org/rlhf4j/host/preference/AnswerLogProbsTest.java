package org.rlhf4j.host.preference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.model.GptConfig;
import org.rlhf4j.host.reward.PreferenceData;

/** Answer log-probabilities (prompt and padding masked out) and TRL-style truncation, on hand-made ids. */
class AnswerLogProbsTest {

    private static PreferenceData.Pair pair(int[] chosen, int[] rejected, int prompt) {
        return new PreferenceData.Pair(chosen, rejected, null, null, "test", prompt);
    }

    /** sum over t in [from, ids.length) of log p(ids_t | ids_<t), from one unpadded forward pass. */
    private static double expected(Gpt g, int[] ids, int from) {
        try (NDManager m = g.manager().newSubManager()) {
            long[] x = new long[ids.length];
            for (int i = 0; i < ids.length; i++) {
                x[i] = ids[i];
            }
            NDArray lsm = g.logits(g.hidden(m.create(x, new Shape(1, ids.length)), null, null, false)).logSoftmax(-1);
            double sum = 0;
            for (int t = from; t < ids.length; t++) {
                sum += lsm.getFloat(0, t - 1, ids[t]);
            }
            return sum;
        }
    }

    @Test
    void sumsOnlyTheAnswersTokensOfEachPaddedRow() {
        GptConfig c = new GptConfig(12, 16, 1, 2, 16, 0.0, "gelu", 1e-5, 0.2, false);
        try (Gpt g = Gpt.initialised(c, Device.cpu(), 5); NDManager m = g.manager().newSubManager()) {
            // pair 1: prompt [1 2 3], chosen answer [4 5], rejected answer [6 7 8 9]; pair 2: prompt [2], answers [5] and [7 7]
            List<PreferenceData.Pair> pairs = List.of(pair(new int[] {1, 2, 3, 4, 5}, new int[] {1, 2, 3, 6, 7, 8, 9}, 3),
                    pair(new int[] {2, 5}, new int[] {2, 7, 7}, 1));
            AnswerLogProbs a = AnswerLogProbs.of(g, pairs, 0, m, false);
            assertArrayEquals(new float[] {2, 1}, a.chosenLengths().toFloatArray());
            assertArrayEquals(new float[] {4, 2}, a.rejectedLengths().toFloatArray());
            float[] chosen = a.chosen().toFloatArray();
            float[] rejected = a.rejected().toFloatArray();
            assertEquals(expected(g, new int[] {1, 2, 3, 4, 5}, 3), chosen[0], 1e-4);
            assertEquals(expected(g, new int[] {2, 5}, 1), chosen[1], 1e-4);
            assertEquals(expected(g, new int[] {1, 2, 3, 6, 7, 8, 9}, 3), rejected[0], 1e-4);
            assertEquals(expected(g, new int[] {2, 7, 7}, 1), rejected[1], 1e-4);
        }
    }

    @Test
    void truncationKeepsThePromptsEndAndTheAnswersStart() {
        // prompt [1 2 3 4 5 6], answers [7 8 9 10] and [7 11 12]: 10 ids, cut to 6 with prompt-share 0.5
        PreferenceData.Group g = new PreferenceData.Group("g", List.of(
                pair(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, new int[] {1, 2, 3, 4, 5, 6, 7, 11, 12}, 6),
                pair(new int[] {1, 2}, new int[] {1, 3}, 1)));
        PairTruncation.Result r = PairTruncation.fit(List.of(g), 6, 0.5);
        assertEquals(1, r.truncated());
        assertEquals(0, r.dropped());
        PreferenceData.Pair cut = r.groups().get(0).pairs().get(0);
        assertArrayEquals(new int[] {4, 5, 6, 7, 8, 9}, cut.chosen());
        assertArrayEquals(new int[] {4, 5, 6, 7, 11, 12}, cut.rejected());
        assertEquals(3, cut.promptLength());
        assertArrayEquals(new int[] {1, 2}, r.groups().get(0).pairs().get(1).chosen(), "a pair that fits stays whole");
        // cut to 4: both answers become [7], so the pair teaches nothing and goes
        PairTruncation.Result same = PairTruncation.fit(List.of(g), 4, 0.75);
        assertEquals(1, same.dropped());
        assertEquals(1, same.groups().get(0).pairs().size());
    }
}
