package org.rlhf4j.host.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.model.GptConfig;

/** TrlX's mean_kl over the prompt: positions 0 .. P - 2, each counted when its own token is real. */
class PromptKlTest {

    static final GptConfig C = new GptConfig(30, 16, 2, 2, 8, 0.0, "gelu", 1e-5, 0.5, false);

    @Test
    void sumsTheTermsOfThePromptsRealPositionsAsAFullPassSeesThem() {
        long[] prompt = {5, 6, 7, 8, 0, 0, 9, 4};        // (2, 4): row 1 left padded by two
        long[] attention = {1, 1, 1, 1, 0, 0, 1, 1};
        try (Gpt actor = Gpt.initialised(C, Device.cpu(), 1); Gpt reference = Gpt.initialised(C, Device.cpu(), 2);
             NDManager m = actor.manager().newSubManager()) {
            double[] ours = PromptKl.perRow(actor, reference, prompt, attention, 2, 4);
            // The same positions of a longer sequence (an answer after the prompt): causal, so the same numbers.
            long[] full = {5, 6, 7, 8, 3, 2, 0, 0, 9, 4, 3, 2};
            long[] fullAtt = {1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1};
            float[] a = logSoftmax(actor, m, full, fullAtt);
            float[] r = logSoftmax(reference, m, full, fullAtt);
            for (int b = 0; b < 2; b++) {
                double expected = 0;
                for (int k = 0; k < 3; k++) {              // positions 0 .. P - 2
                    int next = (int) full[b * 6 + k + 1];
                    double l = a[(b * 5 + k) * 30 + next] - r[(b * 5 + k) * 30 + next];
                    expected += fullAtt[b * 6 + k] * (Math.exp(l) - 1 - l);
                }
                assertEquals(expected, ours[b], 1e-5, "row " + b);
            }
            assertEquals(0.0, PromptKl.perRow(actor, actor, prompt, attention, 2, 4)[1], 0.0, "the same model: 0");
        }
    }

    /** (B, 5, V) log-softmax of positions 0 .. 4 of (2, 6) ids, flat. */
    static float[] logSoftmax(Gpt g, NDManager m, long[] ids, long[] attention) {
        NDArray x = m.create(ids, new Shape(2, 6));
        NDArray h = g.hidden(x, m.create(attention, new Shape(2, 6)), null, false);
        return g.logits(h.get(":, :-1, :")).logSoftmax(-1).toFloatArray();
    }
}
