package org.rlhf4j.host.ppo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rlhf4j.host.model.Generator;
import org.rlhf4j.host.model.tokenizer.Tokenizer;

/**
 * What generation produced for one batch of prompts: phase 1 of a PPO step ({@link PpoStage} numbers the phases).
 * B rows of P left-padded prompt columns then N answer columns; answers are left-aligned, and {@code mask} marks
 * the tokens the actor generated (up to and including its stop token). Phase 2 ({@link ScoredRollout}) adds what
 * the models say about them.
 *
 * @param prompts the B prompts, in row order
 * @param promptLength P
 * @param sequences (B, P + N) token ids
 * @param attention (B, P + N) 1 on real prompt tokens and on generated ones, 0 on padding
 * @param mask (B, N) 1 on the answer tokens the actor generated, else 0
 * @param answerIds per row, the generated token ids, the stop token included
 * @param answers per row, the answer's text (without the stop token)
 * @param generateSeconds the time sampling took
 * @param stopped per row, whether the answer ends with a stop token (its last masked position), not at the length limit
 */
record Rollout(List<PromptSet.Prompt> prompts, int promptLength, long[][] sequences, int[][] attention, float[][] mask,
               int[][] answerIds, List<String> answers, double generateSeconds, boolean[] stopped) {

    /** Samples answers to {@code prompts} with the KV cache, from a stream seeded by {@code seed}. */
    static Rollout generate(Generator generator, List<PromptSet.Prompt> prompts, long seed, Tokenizer tokenizer) {
        long t0 = System.nanoTime();
        Generator.Generation g = generator.generate(prompts.stream().map(PromptSet.Prompt::ids).toList(), seed, true);
        int b = prompts.size();
        int n = g.responseMask()[0].length;
        float[][] mask = new float[b][n];
        int[][] answerIds = new int[b][];
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < n; t++) {
                mask[i][t] = g.responseMask()[i][t];
            }
            answerIds[i] = g.response(i);
            int keep = g.stopped()[i] ? answerIds[i].length - 1 : answerIds[i].length; // the stop token is not text
            answers.add(tokenizer.decode(Arrays.copyOf(answerIds[i], Math.max(0, keep))));
        }
        return new Rollout(prompts, g.promptLength(), g.sequences(), g.attentionMask(), mask, answerIds, answers,
                (System.nanoTime() - t0) / 1e9, g.stopped().clone());
    }

    /** B. */
    int size() {
        return sequences.length;
    }

    /** N, the answer columns. */
    int newTokens() {
        return mask[0].length;
    }

    /** The tokens generated in all, stop tokens included. */
    long generatedTokens() {
        long n = 0;
        for (float[] row : mask) {
            for (float m : row) {
                n += (long) m;
            }
        }
        return n;
    }

    /** Row {@code b}'s answer length in tokens, the stop token included. */
    int answerLength(int b) {
        int n = 0;
        for (float m : mask[b]) {
            n += m == 1 ? 1 : 0;
        }
        return n;
    }
}
