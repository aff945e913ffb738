package org.rlhf4j.host.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.host.model.tokenizer.Tokenizer;

/**
 * Batched sampling from a {@link Gpt}, in inference mode on the model that trains (no weight copy).
 *
 * <p>Prompts of different lengths are left-padded to one length P with an attention mask, so every row's
 * next token sits in the last column. With the KV cache, the prompt is run once (prefill) and each new
 * token costs one position; without it, every step recomputes the whole sequence (for comparison).
 */
public final class Generator {

    /** The {@code generate} block. */
    public record Settings(int maxNewTokens, double temperature, int topK, double topP, List<String> stop) {

        public static Settings from(Config c) {
            Settings s = new Settings(c.getInt("max-new-tokens"), c.getDouble("temperature"), c.getInt("top-k"),
                    c.getDouble("top-p"), c.getStringList("stop"));
            if (s.maxNewTokens < 1) {
                throw new ConfigProblem(c, "max-new-tokens", "must be at least 1");
            }
            if (s.temperature < 0 || s.topK < 0 || s.topP <= 0 || s.topP > 1) {
                throw new ConfigProblem(c, "top-p", "need temperature >= 0, top-k >= 0 and 0 < top-p <= 1");
            }
            return s;
        }

        /** These settings with another number of new tokens. */
        public Settings withMaxNewTokens(int n) {
            return new Settings(n, temperature, topK, topP, stop);
        }

        /** The ids of the stop tokens (each must be one special token of the tokenizer). */
        Set<Integer> stopIds(Tokenizer tokenizer) {
            Set<Integer> ids = new TreeSet<>();
            for (String s : stop) {
                int[] enc = tokenizer.encode(s);
                if (enc.length != 1) {
                    throw new IllegalArgumentException("stop token '" + s + "' is not a single token of the tokenizer");
                }
                ids.add(enc[0]);
            }
            return ids;
        }
    }

    /**
     * What PPO needs from a batch of samples. Rows are left-padded prompts (P columns) then N new columns.
     *
     * @param promptLength P
     * @param sequences (B, P + N) token ids; padding (left of prompts, after a stop) is the end-of-text id
     * @param attentionMask (B, P + N): 1 for real prompt tokens and generated tokens up to the stop token
     * @param responseMask (B, N): 1 for generated tokens up to and including the stop token
     * @param logProbs (B, N): log p(token) under the model (temperature 1, before filtering), 0 where masked
     * @param stopped per row, whether it ended with a stop token (rather than the length limit)
     */
    public record Generation(int promptLength, long[][] sequences, int[][] attentionMask, int[][] responseMask,
                             float[][] logProbs, boolean[] stopped) {

        /** The generated tokens of row {@code b}, up to and including its stop token. */
        public int[] response(int b) {
            int n = 0;
            while (n < responseMask[b].length && responseMask[b][n] == 1) {
                n++;
            }
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = (int) sequences[b][promptLength + i];
            }
            return out;
        }
    }

    private final Gpt model;
    private final Tokenizer tokenizer;
    private final Settings settings;

    public Generator(Gpt model, Tokenizer tokenizer, Settings settings) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.settings = settings;
    }

    /** Samples continuations of {@code prompts} (token ids), seeded: one random stream drawn row by row. */
    public Generation generate(List<int[]> prompts, long seed, boolean useCache) {
        TokenSampler shared = new TokenSampler(settings.temperature(), settings.topK(), settings.topP(), seed);
        TokenSampler[] samplers = new TokenSampler[prompts.size()];
        java.util.Arrays.fill(samplers, shared);
        return generate(prompts, samplers, useCache);
    }

    /**
     * Samples continuations of {@code prompts}, row {@code b} drawing from its own stream seeded {@code rowSeeds[b]}:
     * a row's tokens do not depend on which other rows share its batch (batch commands seed rows by record id).
     */
    public Generation generate(List<int[]> prompts, long[] rowSeeds, boolean useCache) {
        if (rowSeeds.length != prompts.size()) {
            throw new IllegalArgumentException(rowSeeds.length + " seeds for " + prompts.size() + " prompts");
        }
        TokenSampler[] samplers = new TokenSampler[prompts.size()];
        for (int b = 0; b < samplers.length; b++) {
            samplers[b] = new TokenSampler(settings.temperature(), settings.topK(), settings.topP(), rowSeeds[b]);
        }
        return generate(prompts, samplers, useCache);
    }

    private Generation generate(List<int[]> prompts, TokenSampler[] samplers, boolean useCache) {
        int B = prompts.size();
        int P = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        int context = model.config().context();
        if (P >= context) {
            throw new IllegalArgumentException("a prompt of " + P + " tokens leaves no room in the context of " + context);
        }
        int N = Math.min(settings.maxNewTokens(), context - P);
        int V = model.config().vocabSize();
        int pad = tokenizer.eosId();
        Set<Integer> stops = settings.stopIds(tokenizer);
        long[][] seq = new long[B][P + N];
        int[][] mask = new int[B][P + N];
        int[][] respMask = new int[B][N];
        float[][] logProbs = new float[B][N];
        boolean[] done = new boolean[B];
        for (int b = 0; b < B; b++) {
            int[] p = prompts.get(b);
            java.util.Arrays.fill(seq[b], pad);
            for (int i = 0; i < p.length; i++) {
                seq[b][P - p.length + i] = p[i];
                mask[b][P - p.length + i] = 1;
            }
        }
        try (NDManager gen = model.manager().newSubManager();
             KvCache cache = useCache ? new KvCache(gen, model.config().layers()) : null) {
            float[] logits;
            for (int t = 0; t < N; t++) {
                try (NDManager step = gen.newSubManager()) {
                    int from = useCache && t > 0 ? P + t - 1 : 0;
                    NDArray tokens = step.create(columns(seq, from, P + t), new Shape(B, P + t - from));
                    NDArray keep = step.create(columns(mask, 0, P + t), new Shape(B, P + t));
                    NDArray h = model.hidden(tokens, keep, cache, false);                 // (B, T, C)
                    NDArray last = model.logits(h.get(new NDIndex(":, -1:, :")));      // (B, 1, V)
                    logits = last.toFloatArray();
                }
                for (int b = 0; b < B; b++) {
                    if (done[b]) {
                        continue;
                    }
                    int token = samplers[b].sample(logits, b * V, V);
                    seq[b][P + t] = token;
                    mask[b][P + t] = 1;
                    respMask[b][t] = 1;
                    logProbs[b][t] = TokenSampler.logProb(logits, b * V, V, token);
                    done[b] = stops.contains(token);
                }
                if (allDone(done)) {
                    break;
                }
            }
        }
        return new Generation(P, seq, mask, respMask, logProbs, done);
    }

    private static boolean allDone(boolean[] done) {
        for (boolean d : done) {
            if (!d) {
                return false;
            }
        }
        return true;
    }

    private static long[] columns(long[][] rows, int from, int to) {
        long[] out = new long[rows.length * (to - from)];
        for (int b = 0; b < rows.length; b++) {
            System.arraycopy(rows[b], from, out, b * (to - from), to - from);
        }
        return out;
    }

    private static int[] columns(int[][] rows, int from, int to) {
        int[] out = new int[rows.length * (to - from)];
        for (int b = 0; b < rows.length; b++) {
            System.arraycopy(rows[b], from, out, b * (to - from), to - from);
        }
        return out;
    }
}
