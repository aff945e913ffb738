package org.rlhf4j.host.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.host.model.tokenizer.CharTokenizer;
import org.rlhf4j.host.model.tokenizer.Tokenizer;

/** TrlX's make_head value head: Linear(C, 2C) -> ReLU -> Linear(2C, 1), with biases (trlx/utils/modeling.py:13-19). */
class MlpScoreHeadTest {

    static final Tokenizer TOK = CharTokenizer.of(List.of("abcdefgh"));
    static final GptConfig C = new GptConfig(TOK.vocabSize(), 16, 2, 2, 8, 0.0, "gelu_new", 1e-5, 0.2, false, false)
            .withMlpScoreHead(true);

    /** Every weight random (the MLP's biases too, which an initialised model leaves at 0). */
    static Gpt random(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, float[]> w = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> e : Gpt.shapes(C).entrySet()) {
            float[] v = new float[Math.toIntExact(e.getValue().size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rng.nextGaussian(0, 0.5);
            }
            w.put(e.getKey(), v);
        }
        return Gpt.withWeights(C, Device.cpu(), w);
    }

    @Test
    void theHeadIsTwoLinearLayersWithAReluBetween() {
        assertEquals(Set.of("score.0.weight", "score.0.bias", "score.2.weight", "score.2.bias"),
                Set.copyOf(Gpt.shapes(C).keySet().stream().filter(Gpt::isScoreHead).toList()), "biases even in a bias-free trunk");
        assertEquals(new Shape(16, 8), Gpt.shapes(C).get("score.0.weight"));
        try (Gpt g = random(3); NDManager m = g.manager().newSubManager()) {
            NDArray h = g.hidden(m.create(new long[] {1, 2, 3}, new Shape(1, 3)), null, null, false);  // (1, 3, 8)
            float[] ours = g.values(h).toFloatArray();                                                 // (1, 3)
            float[] hid = h.toFloatArray();
            float[] w0 = g.parameters().get("score.0.weight").toFloatArray();
            float[] b0 = g.parameters().get("score.0.bias").toFloatArray();
            float[] w2 = g.parameters().get("score.2.weight").toFloatArray();
            float b2 = g.parameters().get("score.2.bias").toFloatArray()[0];
            for (int t = 0; t < 3; t++) {
                double v = b2;
                for (int j = 0; j < 16; j++) {
                    double a = b0[j];
                    for (int k = 0; k < 8; k++) {
                        a += w0[j * 8 + k] * hid[t * 8 + k];
                    }
                    v += w2[j] * Math.max(0, a);
                }
                assertEquals(v, ours[t], 1e-5, "value at " + t);
            }
        }
    }

    @Test
    void aCheckpointKeepsTheHeadAndAdaptersLeaveItTrainable(@TempDir Path dir) throws IOException {
        try (Gpt a = random(5)) {
            HfCheckpoint.save(a, TOK, dir);
            try (HfCheckpoint.Loaded b = HfCheckpoint.load(dir, Device.cpu())) {
                assertEquals(true, b.model().config().mlpScoreHead());
                for (String name : List.of("score.0.weight", "score.0.bias", "score.2.weight", "score.2.bias")) {
                    assertArrayEquals(a.parameters().get(name).toFloatArray(), b.model().parameters().get(name).toFloatArray(), 0f, name);
                }
            }
            a.addAdapters(Lora.Spec.allLayers(2, 4), 1);
            assertEquals(4, a.trainable().keySet().stream().filter(Gpt::isScoreHead).count(), "the head trains beside the adapters");
        }
    }
}
