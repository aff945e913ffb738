package org.rlhf4j.host.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.rlhf4j.api.ppo.PpoMath;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.trainer.LanguageModelLoss;

/**
 * The prompt's share of TrlX's KL (CarperAI/trlx 3340c2f, accelerate_ppo_trainer.py:457-460): TrlX's {@code mean_kl}
 * sums (exp(l) - 1) - l, l = log pi - log ref, over every position of prompt and answer whose token is not padding
 * ({@code log_ratio = (logprobs - ref_logprobs) * attention_mask[:, :-1]}, position k being the log-probability of token
 * k + 1). The answer's positions are those of our answer mask; this adds positions 0 .. P - 2 of the left-padded prompt,
 * each counted when its own token is real. A causal model's prompt positions do not see the answer, so a pass over the
 * prompt alone gives them. Computed only for a KL controller that asks ({@link org.rlhf4j.api.ppo.KlController#observesPrompt}).
 */
final class PromptKl {

    private PromptKl() {
    }

    /** Per row of {@code r}, the sum of the prompt positions' terms. */
    static double[] of(PpoModels models, Rollout r) {
        int p = r.promptLength();
        long[] ids = new long[r.size() * p];
        long[] attention = new long[r.size() * p];
        for (int b = 0; b < r.size(); b++) {
            for (int t = 0; t < p; t++) {
                ids[b * p + t] = r.sequences()[b][t];
                attention[b * p + t] = r.attention()[b][t];
            }
        }
        return perRow(models.actor(), models.reference(), ids, attention, r.size(), p);
    }

    /** Over (B, P) prompt ids and attention, row-major. */
    static double[] perRow(Gpt actor, Gpt reference, long[] ids, long[] attention, int batch, int p) {
        if (p < 2) {
            return new double[batch];
        }
        float[][] lp = logProbs(actor, ids, attention, batch, p);                      // (B, P - 1)
        float[][] ref = logProbs(reference, ids, attention, batch, p);                 // (B, P - 1)
        float[][] mask = new float[batch][p - 1];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < p - 1; t++) {
                mask[b][t] = attention[b * p + t];
            }
        }
        return PpoMath.trlxSequenceKl(lp, ref, mask);
    }

    /** Log-probabilities of prompt tokens 1 .. P - 1 under {@code model}, (B, P - 1). */
    private static float[][] logProbs(Gpt model, long[] ids, long[] attention, int batch, int p) {
        try (NDManager m = model.manager().newSubManager()) {
            NDArray x = m.create(ids, new Shape(batch, p));
            NDArray hidden = model.hidden(x, m.create(attention, new Shape(batch, p)), null, false);   // (B, P, C)
            NDArray logits = model.logits(hidden.get(":, :-1, :"));                                    // (B, P - 1, V)
            float[] flat = LanguageModelLoss.tokenLogProbs(logits, x.get(":, 1:")).toFloatArray();
            float[][] out = new float[batch][p - 1];
            for (int b = 0; b < batch; b++) {
                System.arraycopy(flat, b * (p - 1), out[b], 0, p - 1);
            }
            return out;
        }
    }
}
