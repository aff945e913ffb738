package org.rlhf4j.host.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** TrlX's num_layers_unfrozen: the bottom frozen, the reference a frozen branch over the shared bottom. */
class HydraTest {

    static final GptConfig C = new GptConfig(40, 16, 4, 2, 8, 0.0, "gelu", 1e-5, 0.2, true);

    static float[] logits(Gpt g, NDManager m) {
        NDArray x = m.create(new long[] {1, 2, 3, 4}, new Shape(1, 4));
        return g.logits(g.hidden(x, null, null, false)).toFloatArray();
    }

    @Test
    void onlyThePositionsTheTopBlocksLnFAndTheHeadTrain() {
        try (Gpt g = Gpt.initialised(C.withMlpScoreHead(true), Device.cpu(), 3)) {
            g.freezeBottom(2);
            Set<String> prefixes = g.trainable().keySet().stream().map(n -> n.substring(0, n.indexOf('.', n.startsWith("h.") ? 2 : 0)))
                    .collect(Collectors.toSet());
            assertEquals(Set.of("wpe", "h.2", "h.3", "ln_f", "score"), prefixes);
            assertFalse(g.trainable().containsKey("wte.weight"), "the token embedding, so the tied head, is frozen");
        }
    }

    @Test
    void theBranchIsTheModelUntilItsTopTrainsAndFollowsTheSharedPositions() {
        try (Gpt g = Gpt.initialised(C, Device.cpu(), 5); NDManager m = g.manager().newSubManager()) {
            g.freezeBottom(2);
            try (Gpt branch = g.frozenBranch(2)) {
                assertArrayEquals(logits(g, m), logits(branch, m), 0f, "equal at the start");
                g.parameters().get("wpe.weight").addi(0.25f);           // the position embedding trains in TrlX too
                float[] shared = logits(g, m);
                assertArrayEquals(shared, logits(branch, m), 0f, "the branch shares the bottom and wpe");
                g.parameters().get("h.3.mlp.c_fc.weight").addi(0.5f);  // a top block trains: the branch keeps its copy
                assertArrayEquals(shared, logits(branch, m), 0f, "the branch's top is frozen");
                assertFalse(java.util.Arrays.equals(shared, logits(g, m)), "the model moved");
            }
            assertEquals(4, logits(g, m).length / 40, "closing the branch leaves the model whole");
        }
    }
}
