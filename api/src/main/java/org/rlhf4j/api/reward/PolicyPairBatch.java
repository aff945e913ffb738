package org.rlhf4j.api.reward;

import ai.djl.ndarray.NDArray;

/**
 * A batch of P preference pairs as a {@link PolicyPreferenceLoss} sees them: per pair, log-probabilities of
 * the chosen and the rejected answer under the policy being trained, summed over the answer's tokens only
 * (the prompt's tokens never count), with their lengths, and the same sums under the frozen reference
 * model when the loss needs one.
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
 *
 * @since 0.1.0
 */
public record PolicyPairBatch(NDArray chosenLogProbs, NDArray rejectedLogProbs, NDArray chosenLengths,
                              NDArray rejectedLengths, NDArray referenceChosenLogProbs,
                              NDArray referenceRejectedLogProbs) {

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
}
