package org.rlhf4j.api.reward;

import ai.djl.ndarray.NDArray;

/**
 * A batch of P preference pairs as a {@link PreferenceLoss} sees them: the scalar head's value at every
 * token of each whole sequence (prompt and answer), right-padded. "Chosen" is the answer the model must
 * score higher: the better one for a reward model, the less safe one for a cost model.
 *
 * @param chosenIds (P, T) int64 token ids of the chosen sequences
 * @param rejectedIds (P, T) int64 token ids of the rejected sequences
 * @param chosenValues (P, T) per-token values of the chosen sequences (with gradients)
 * @param rejectedValues (P, T) per-token values of the rejected sequences (with gradients)
 * @param chosenMask (P, T) 1 on real tokens of the chosen sequences, 0 on padding
 * @param rejectedMask (P, T) 1 on real tokens of the rejected sequences, 0 on padding
 * @param chosenSigns (P) +1 when the chosen answer is unsafe, -1 when safe; null when not labelled
 * @param rejectedSigns (P) the same for the rejected answers; null when not labelled
 *
 * @since 0.1.0
 */
public record PairBatch(NDArray chosenIds, NDArray rejectedIds, NDArray chosenValues, NDArray rejectedValues,
                        NDArray chosenMask, NDArray rejectedMask, NDArray chosenSigns, NDArray rejectedSigns) {
}
