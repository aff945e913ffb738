package org.rlhf4j.host.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The losses' mask: every answer token, or (TrlX with GPT-2) all but the stop token of an answer that has one. */
class PolicyForwardTest {

    @Test
    void theStopTokenLeavesTheMaskOnlyWhenAskedAndOnlyWhereThereIsOne() {
        long[][] seq = {{1, 2, 3, 4, 9}, {1, 2, 5, 6, 7}};    // prompt 2, answers 3: row 0 stopped at 9, row 1 at the limit
        int[][] att = {{1, 1, 1, 1, 1}, {1, 1, 1, 1, 1}};
        float[][] mask = {{1, 1, 1}, {1, 1, 1}};
        Rollout r = new Rollout(List.of(), 2, seq, att, mask, new int[][] {{3, 4, 9}, {5, 6, 7}}, List.of("a", "b"), 0,
                new boolean[] {true, false});
        try (NDManager m = NDManager.newBaseManager()) {
            assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, PolicyForward.tokens(r, new int[] {0, 1}, m).mask().toFloatArray());
            assertArrayEquals(new float[] {1, 1, 0, 1, 1, 1},
                    PolicyForward.tokens(r, new int[] {0, 1}, m, false).mask().toFloatArray());
        }
    }
}
