package org.rlhf4j.host.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.rlhf4j.api.ppo.PpoMath;
import org.rlhf4j.api.reward.RewardMath;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.trainer.LanguageModelLoss;

/**
 * The forward passes PPO makes over sampled sequences: left-padded prompts (P columns) then N answer
 * columns. The answer token in column P + i is predicted at column P + i - 1, so log-probabilities and
 * values of the answer are read off the hidden states of columns P - 1 .. P + N - 2 (DeepSpeed-Chat's
 * {@code logits[:, :-1]} and {@code values[:, :-1]}). Dropout is always off here, as DeepSpeed-Chat's step-3 scripts
 * set it ({@code --actor_dropout 0.0}, training/step3_rlhf_finetuning/main.py lines 270-282 at 83757d9c): the
 * rollout's and the update's log-probabilities come from the same function.
 */
final class PolicyForward {

    /** Some rows of a rollout as arrays of one manager. */
    record Tokens(NDArray ids, NDArray attention, NDArray targets, NDArray mask, int promptLength, int newTokens) {
    }

    private PolicyForward() {
    }

    /** The rows {@code rows} of a rollout, in manager {@code m}. */
    static Tokens tokens(Rollout r, int[] rows, NDManager m) {
        return tokens(r, rows, m, true);
    }

    /** As above; with {@code stopToken} false the mask leaves out the stop token of each answer that has one. */
    static Tokens tokens(Rollout r, int[] rows, NDManager m, boolean stopToken) {
        int length = r.promptLength() + r.newTokens();
        long[] ids = new long[rows.length * length];
        long[] attention = new long[rows.length * length];
        long[] targets = new long[rows.length * r.newTokens()];
        float[] mask = new float[rows.length * r.newTokens()];
        for (int i = 0; i < rows.length; i++) {
            int b = rows[i];
            for (int t = 0; t < length; t++) {
                ids[i * length + t] = r.sequences()[b][t];
                attention[i * length + t] = r.attention()[b][t];
            }
            for (int t = 0; t < r.newTokens(); t++) {
                targets[i * r.newTokens() + t] = r.sequences()[b][r.promptLength() + t];
                mask[i * r.newTokens() + t] = r.mask()[b][t];
            }
            int last = PpoMath.lastIndex(r.mask()[b]);
            if (!stopToken && r.stopped()[b] && last >= 0) {
                mask[i * r.newTokens() + last] = 0;
            }
        }
        return new Tokens(m.create(ids, new Shape(rows.length, length)), m.create(attention, new Shape(rows.length, length)),
                m.create(targets, new Shape(rows.length, r.newTokens())), m.create(mask, new Shape(rows.length, r.newTokens())),
                r.promptLength(), r.newTokens());
    }

    /** Hidden states of the whole sequences, (B, P + N, C); dropout off. */
    static NDArray hidden(Gpt model, Tokens t) {
        return model.hidden(t.ids(), t.attention(), null, false);
    }

    /** The states that predict the answer tokens: (B, P + N, C) -> (B, N, C). */
    static NDArray answerStates(NDArray hidden, Tokens t) {
        return hidden.get(":, {}:{}, :", t.promptLength() - 1, t.promptLength() + t.newTokens() - 1);
    }

    /** Log-probabilities of the answer tokens, (B, N). */
    static NDArray logProbs(Gpt model, NDArray hidden, Tokens t) {
        return LanguageModelLoss.tokenLogProbs(model.logits(answerStates(hidden, t)), t.targets());
    }

    /** Mean entropy of the policy over the answer tokens (no gradient). */
    static float entropy(Gpt model, NDArray hidden, Tokens t) {
        NDArray logp = model.logits(answerStates(hidden, t)).logSoftmax(-1);              // (B, N, V)
        NDArray h = logp.exp().mul(logp).sum(new int[] {-1}).neg();                        // (B, N)
        return h.mul(t.mask()).sum().div(t.mask().sum().maximum(1f)).getFloat();
    }

    /** The scalar head's value at each answer position, (B, N). */
    static NDArray values(Gpt model, NDArray hidden, Tokens t) {
        return model.values(answerStates(hidden, t));
    }

    /**
     * The critic's values as the scheduler reads them: at each answer position, or with {@code perSequence} one value
     * per sequence ({@link org.rlhf4j.api.ppo.PpoScheduler#valuePerSequence()}), read at the last real token of
     * prompt + answer and written on every answer position: (B, N).
     */
    static NDArray values(Gpt model, NDArray hidden, Tokens t, boolean perSequence) {
        if (!perSequence) {
            return values(model, hidden, t);
        }
        NDArray last = RewardMath.lastValue(model.values(hidden), t.attention());         // (B)
        return last.expandDims(1).mul(t.mask());                                           // (B, N)
    }

    /** A float (B, N) array of a rollout's per-row numbers, in manager {@code m}. */
    static NDArray rowsOf(float[][] source, int[] rows, NDManager m) {
        return tensorOf(PpoUpdate.pick(source, rows), m);
    }

    /** A (b, N) float array as a tensor of {@code m}. */
    static NDArray tensorOf(float[][] rows, NDManager m) {
        int n = rows[0].length;
        float[] out = new float[rows.length * n];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * n, n);
        }
        return m.create(out, new Shape(rows.length, n)).toType(DataType.FLOAT32, false);
    }
}
