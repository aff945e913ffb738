package org.rlhf4j.api.reward;

import ai.djl.ndarray.NDArray;

/**
 * A batch of P preference pairs as a {@link PolicyPreferenceLoss} sees them: per pair, log-probabilities of
 * the chosen and the rejected answer under the policy being trained, summed over the answer's tokens only
 * (the prompt's tokens never count), with their lengths, and the same sums under the frozen reference
 * model when the loss needs one. Since 0.2.2 also the per-token numbers behind the sums, for a loss that pools
 * tokens over the batch (Coati's ORPO), and the chosen sequences' prompt log-probabilities.
 *
 * <pre>
 *   log pi(y | x) = sum over answer tokens t of log pi(y_t | x, y_&lt;t)
 * </pre>
 *
 * @param chosenLogProbs (P) the policy's summed log-probabilities of the chosen answers (with gradients)
 * @param rejectedLogProbs (P) the same for the rejected answers (with gradients)
 * @param chosenLengths (P) answer lengths in tokens, float32, each at least 1
 * @param rejectedLengths (P) the same for the rejected answers
 * @param referenceChosenLogProbs (P) the reference model's sums for the chosen answers (no gradients);
 *     null when the loss needs no reference
 * @param referenceRejectedLogProbs (P) the same for the rejected answers; null with the other
 * @param chosenTokenLogProbs (P, T) the policy's log-probability of each chosen answer token, 0 elsewhere (with
 *     gradients; since 0.2.2, null from the six-argument constructor)
 * @param chosenTokenMask (P, T) 1 on the chosen answers' tokens, 0 elsewhere
 * @param rejectedTokenLogProbs (P, T) the same for the rejected answers
 * @param rejectedTokenMask (P, T) the same for the rejected answers
 * @param chosenPromptLogProbs (P) the policy's summed log-probabilities of the chosen sequences' prompt tokens after
 *     the first (the tokens a language-model loss over the whole sequence predicts; with gradients)
 * @param promptLengths (P) how many prompt tokens those are, float32
 *
 * @since 0.1.0
 */
public record PolicyPairBatch(NDArray chosenLogProbs, NDArray rejectedLogProbs, NDArray chosenLengths,
                              NDArray rejectedLengths, NDArray referenceChosenLogProbs,
                              NDArray referenceRejectedLogProbs, NDArray chosenTokenLogProbs, NDArray chosenTokenMask,
                              NDArray rejectedTokenLogProbs, NDArray rejectedTokenMask, NDArray chosenPromptLogProbs,
                              NDArray promptLengths) {

    /** The sums alone, as before 0.2.2: the per-token and prompt numbers are null. */
    public PolicyPairBatch(NDArray chosenLogProbs, NDArray rejectedLogProbs, NDArray chosenLengths,
                           NDArray rejectedLengths, NDArray referenceChosenLogProbs, NDArray referenceRejectedLogProbs) {
        this(chosenLogProbs, rejectedLogProbs, chosenLengths, rejectedLengths, referenceChosenLogProbs,
                referenceRejectedLogProbs, null, null, null, null, null, null);
    }

    /** The mean token log-probability of each chosen answer, log pi(y_c | x) / |y_c|: (P). */
    public NDArray chosenMeanLogProbs() {
        return chosenLogProbs.div(chosenLengths);
    }

    /**
     * The chosen answers' negative log-likelihood per token, averaged over pairs (the SFT term of ORPO):
     * mean over pairs of -log pi(y_c | x) / |y_c|. A scalar.
     */
    public NDArray chosenNll() {
        return chosenMeanLogProbs().mean().neg();
    }

    /**
     * The negative log-likelihood of the chosen sequences, prompt and answer, per token pooled over the batch:
     * -(sum of prompt and answer log-probabilities) / (their token count), a scalar. What a causal language model's
     * loss with the chosen ids as labels gives (Coati's ORPO, coati/trainer/orpo.py lines 144-159 at ColossalAI
     * 4f9953be3), over real tokens only.
     *
     * @since 0.2.2
     */
    public NDArray chosenSequenceNll() {
        NDArray sum = chosenPromptLogProbs.sum().add(chosenLogProbs.sum());            // ()
        return sum.div(promptLengths.sum().add(chosenLengths.sum())).neg();
    }
}
