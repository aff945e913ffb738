package org.rlhf4j.host.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.host.model.tokenizer.CharTokenizer;
import org.rlhf4j.host.model.tokenizer.Tokenizer;

/** Batched sampling: cache vs recomputation, left padding, seeds, stop tokens, masks. */
class GeneratorTest {

    static final Tokenizer TOK = CharTokenizer.of(List.of("abcdefghijklmnopqrstuvwxyz ."));

    static Gpt model(long seed) {
        return Gpt.initialised(new GptConfig(TOK.vocabSize(), 32, 2, 2, 16, 0.0, "gelu_new", 1e-5, 0.3, false),
                Device.cpu(), seed);
    }

    static Generator.Settings settings(int n, double temperature, int topK, double topP) {
        return new Generator.Settings(n, temperature, topK, topP, List.of("<|endoftext|>"));
    }

    @Test
    void theCacheSamplesWhatFullRecomputationSamples() {
        try (Gpt gpt = model(1)) {
            Generator g = new Generator(gpt, TOK, settings(12, 1.0, 0, 1.0));
            List<int[]> prompts = List.of(TOK.encode("hello world"), TOK.encode("abc"));
            Generator.Generation cached = g.generate(prompts, 99, true);
            Generator.Generation full = g.generate(prompts, 99, false);
            for (int b = 0; b < 2; b++) {
                assertArrayEquals(full.sequences()[b], cached.sequences()[b]);
                for (int t = 0; t < full.logProbs()[b].length; t++) {
                    assertEquals(full.logProbs()[b][t], cached.logProbs()[b][t], 1e-4f);
                }
            }
        }
    }

    @Test
    void aLeftPaddedPromptSamplesAsItWouldAlone() {
        try (Gpt gpt = model(2)) {
            Generator g = new Generator(gpt, TOK, settings(8, 0.0, 0, 1.0));   // greedy
            int[] shortPrompt = TOK.encode("ab");
            Generator.Generation alone = g.generate(List.of(shortPrompt), 1, true);
            Generator.Generation batched = g.generate(List.of(TOK.encode("a much longer prompt"), shortPrompt), 1, true);
            assertArrayEquals(alone.response(0), batched.response(1));
            int P = batched.promptLength();
            assertEquals(0, batched.attentionMask()[1][0], "left padding is masked");
            assertEquals(1, batched.attentionMask()[1][P - 1]);
        }
    }

    @Test
    void sameSeedSameSamplesAndTopKOneIsGreedy() {
        try (Gpt gpt = model(3)) {
            List<int[]> prompts = List.of(TOK.encode("the cat"));
            Generator sampling = new Generator(gpt, TOK, settings(10, 1.5, 0, 0.9));
            assertArrayEquals(sampling.generate(prompts, 5, true).sequences()[0], sampling.generate(prompts, 5, true).sequences()[0]);
            int[] greedy = new Generator(gpt, TOK, settings(10, 0.0, 0, 1.0)).generate(prompts, 1, true).response(0);
            int[] topOne = new Generator(gpt, TOK, settings(10, 1.0, 1, 1.0)).generate(prompts, 42, true).response(0);
            assertArrayEquals(greedy, topOne);
        }
    }

    @Test
    void rowsStopAtTheStopTokenAndTheMasksSaySo() {
        try (Gpt gpt = model(4)) {
            // make end-of-text overwhelmingly likely: the trunk's output becomes the constant e0 (ln_f gain 0,
            // bias e0) and the tied head's row for end-of-text is 100 e0
            int eos = TOK.eosId();
            float[] w = gpt.parameters().get("wte.weight").toFloatArray();
            java.util.Arrays.fill(w, eos * 16, eos * 16 + 16, 0f);
            w[eos * 16] = 100f;
            gpt.parameters().get("wte.weight").set(w);
            gpt.parameters().get("ln_f.weight").set(new float[16]);
            float[] e0 = new float[16];
            e0[0] = 1f;
            gpt.parameters().get("ln_f.bias").set(e0);
            Generator.Generation out = new Generator(gpt, TOK, settings(10, 1.0, 0, 1.0))
                    .generate(List.of(TOK.encode("abc"), TOK.encode("xyz")), 3, true);
            for (int b = 0; b < 2; b++) {
                int[] r = out.response(b);
                assertTrue(out.stopped()[b]);
                assertEquals(eos, r[r.length - 1]);
                int n = 0;
                for (int m : out.responseMask()[b]) {
                    n += m;
                }
                assertEquals(r.length, n);
                assertEquals(0f, out.logProbs()[b][0], 1e-6f, "end-of-text was all but certain");
                assertEquals(0, out.attentionMask()[b][out.promptLength() + 1], "nothing after the stop token counts");
            }
        }
    }
}
