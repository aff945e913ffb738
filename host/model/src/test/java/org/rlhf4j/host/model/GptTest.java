package org.rlhf4j.host.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Attention masking (causal and padding), the KV cache, and the scalar head. */
class GptTest {

    static final GptConfig TINY = new GptConfig(40, 24, 2, 2, 16, 0.0, "gelu", 1e-5, 0.2, false);
    static Gpt model;

    @BeforeAll
    static void build() {
        model = Gpt.initialised(TINY, Device.cpu(), 7);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Logits (B, T, V) as floats for tokens (B, T), no mask, no cache. */
    static float[] logits(NDManager m, long[] tokens, int rows) {
        NDArray x = m.create(tokens, new Shape(rows, tokens.length / rows));
        return model.logits(model.hidden(x, null, null, false)).toFloatArray();
    }

    @Test
    void aFutureTokenDoesNotChangeEarlierLogits() {
        try (NDManager m = model.manager().newSubManager()) {
            float[] a = logits(m, new long[] {1, 2, 3, 4, 5, 6}, 1);
            float[] b = logits(m, new long[] {1, 2, 3, 4, 5, 39}, 1);
            int V = TINY.vocabSize();
            for (int i = 0; i < 5 * V; i++) {
                assertEquals(a[i], b[i], 0f, "position " + i / V + " saw a later token");
            }
            boolean lastDiffers = false;
            for (int i = 5 * V; i < 6 * V; i++) {
                lastDiffers |= a[i] != b[i];
            }
            assertTrue(lastDiffers, "the last position must see its own token");
        }
    }

    @Test
    void leftPaddingWithAMaskGivesTheLogitsOfTheUnpaddedSequence() {
        try (NDManager m = model.manager().newSubManager()) {
            int V = TINY.vocabSize();
            float[] alone = logits(m, new long[] {7, 8, 9, 10}, 1);
            for (long padToken : new long[] {0, 33}) {
                NDArray x = m.create(new long[] {padToken, padToken, 7, 8, 9, 10}, new Shape(1, 6));
                NDArray mask = m.create(new int[] {0, 0, 1, 1, 1, 1}, new Shape(1, 6));
                float[] padded = model.logits(model.hidden(x, mask, null, false)).toFloatArray();
                for (int i = 0; i < 4 * V; i++) {
                    assertEquals(alone[i], padded[2 * V + i], 1e-5f, "padding changed position " + i / V);
                }
                for (float f : padded) {
                    assertTrue(Float.isFinite(f), "a fully padded row must not produce NaN");
                }
            }
        }
    }

    @Test
    void cachedLogitsEqualFullRecomputation() {
        long[] seq = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3};
        int V = TINY.vocabSize();
        try (NDManager m = model.manager().newSubManager(); KvCache cache = new KvCache(m, TINY.layers())) {
            float[] full = logits(m, seq, 1);
            // a prefix of 4, then one token at a time
            NDArray first = m.create(java.util.Arrays.copyOf(seq, 4), new Shape(1, 4));
            float[] got = model.logits(model.hidden(first, null, cache, false)).toFloatArray();
            for (int i = 0; i < 4 * V; i++) {
                assertEquals(full[i], got[i], 1e-5f);
            }
            for (int t = 4; t < seq.length; t++) {
                NDArray one = m.create(new long[] {seq[t]}, new Shape(1, 1));
                float[] step = model.logits(model.hidden(one, null, cache, false)).toFloatArray();
                for (int v = 0; v < V; v++) {
                    assertEquals(full[t * V + v], step[v], 1e-5f, "cached logits differ at position " + t);
                }
            }
            assertEquals(seq.length, cache.length());
        }
    }

    @Test
    void scoreHeadGivesOneValuePerTokenAndTheLastRealTokensScore() {
        try (Gpt critic = Gpt.initialised(TINY.withScoreHead(true), Device.cpu(), 3);
             NDManager m = critic.manager().newSubManager()) {
            NDArray x = m.create(new long[] {5, 6, 7, 8, 1, 2, 3, 0}, new Shape(2, 4));
            NDArray values = critic.values(critic.hidden(x, null, null, false));
            assertArrayEquals(new long[] {2, 4}, values.getShape().getShape());
            NDArray mask = m.create(new int[] {1, 1, 1, 1, 1, 1, 1, 0}, new Shape(2, 4));
            float[] score = Gpt.lastTokenScore(values, mask).toFloatArray();
            assertEquals(values.getFloat(0, 3), score[0], 0f);
            assertEquals(values.getFloat(1, 2), score[1], 0f);
        }
    }

    @Test
    void tooLongASequenceIsRefused() {
        try (NDManager m = model.manager().newSubManager()) {
            NDArray x = m.zeros(new Shape(1, TINY.context() + 1), ai.djl.ndarray.types.DataType.INT64);
            var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> model.hidden(x, null, null, false));
            assertTrue(e.getMessage().contains("context"));
        }
    }

    static float at(NDArray a, String index) {
        return a.get(new NDIndex(index)).getFloat();
    }
}
