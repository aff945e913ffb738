package org.rlhf4j.host.preference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.reward.PreferenceData;
import org.rlhf4j.host.trainer.LanguageModelLoss;

/**
 * The summed log-probabilities of each pair's two answers under one model, from one forward pass over the
 * chosen and the rejected sequences (2P rows, right-padded with the end-of-text id):
 * <pre>
 *   log pi(y | x) = sum over t with |x| &lt;= t &lt; |x| + |y| of log softmax(logits_{t-1})[ids_t]
 * </pre>
 * The prompt's tokens and the padding are masked out, as in Coati's calc_masked_log_probs with the loss
 * mask and TRL's get_batch_logps. The per-token numbers behind the sums and the chosen prompts' own sums come along
 * ({@link org.rlhf4j.api.reward.PolicyPairBatch}).
 *
 * @param chosen (P) summed answer log-probabilities of the chosen sequences
 * @param rejected (P) the same for the rejected sequences
 * @param chosenLengths (P) answer tokens, float32
 * @param rejectedLengths (P) answer tokens, float32
 * @param tokens (2P, T-1) each answer token's log-probability, 0 elsewhere: chosen rows, then rejected rows
 * @param answerMask (2P, T-1) 1 on answer tokens
 * @param chosenPrompt (P) summed log-probabilities of the chosen rows' prompt tokens after the first
 * @param promptLengths (P) how many those are, float32
 */
record AnswerLogProbs(NDArray chosen, NDArray rejected, NDArray chosenLengths, NDArray rejectedLengths, NDArray tokens,
                      NDArray answerMask, NDArray chosenPrompt, NDArray promptLengths) {

    /** Runs {@code model} over {@code pairs} in {@code m}; {@code training} turns dropout on (record gradients around it). */
    static AnswerLogProbs of(Gpt model, List<PreferenceData.Pair> pairs, int pad, NDManager m, boolean training) {
        int p = pairs.size();
        int len = 2;
        for (PreferenceData.Pair pair : pairs) {
            len = Math.max(len, Math.max(pair.chosen().length, pair.rejected().length));
        }
        int t = len - 1;                                       // inputs ids[0 .. len-2] predict ids[1 .. len-1]
        long[] inputs = new long[2 * p * t];
        long[] targets = new long[2 * p * t];
        float[] mask = new float[2 * p * t];
        float[] promptMask = new float[2 * p * t];
        float[] lengths = new float[2 * p];
        float[] promptLengths = new float[p];
        Arrays.fill(inputs, pad);
        Arrays.fill(targets, pad);
        for (int i = 0; i < p; i++) {
            PreferenceData.Pair pair = pairs.get(i);
            lengths[i] = put(pair.chosen(), pair.promptLength(), i * t, inputs, targets, mask);
            lengths[p + i] = put(pair.rejected(), pair.promptLength(), (p + i) * t, inputs, targets, mask);
            for (int j = 0; j + 1 < pair.promptLength(); j++) {
                promptMask[i * t + j] = 1f;                    // targets ids[1 .. |x|-1] of the chosen row
            }
            promptLengths[i] = Math.max(0, pair.promptLength() - 1);
        }
        Shape shape = new Shape(2L * p, t);
        NDArray x = m.create(inputs, shape);                                                  // (2P, T-1)
        NDArray y = m.create(targets, shape);                                                 // (2P, T-1)
        NDArray answer = m.create(mask, shape);                                               // (2P, T-1)
        NDArray logits = model.logits(model.hidden(x, null, null, training));               // (2P, T-1, V)
        NDArray all = LanguageModelLoss.tokenLogProbs(logits, y);                             // (2P, T-1)
        NDArray tokens = all.mul(answer);                                                     // (2P, T-1)
        NDArray sums = tokens.sum(new int[] {1});                                             // (2P)
        NDArray prompt = all.mul(m.create(promptMask, shape)).sum(new int[] {1}).get("0:{}", p); // (P)
        NDArray n = m.create(lengths);                                                        // (2P)
        return new AnswerLogProbs(sums.get("0:{}", p), sums.get("{}:", p), n.get("0:{}", p), n.get("{}:", p), tokens,
                answer, prompt, m.create(promptLengths));
    }

    /** Lays one sequence out at {@code offset}, marks its answer targets, and returns how many it marked. */
    private static int put(int[] ids, int promptLength, int offset, long[] inputs, long[] targets, float[] mask) {
        int answer = 0;
        for (int j = 0; j + 1 < ids.length; j++) {
            inputs[offset + j] = ids[j];
            targets[offset + j] = ids[j + 1];
            if (j + 1 >= promptLength) {
                mask[offset + j] = 1f;
                answer++;
            }
        }
        return answer;
    }
}
