package org.rlhf4j.api.reward;

import ai.djl.ndarray.NDArray;
import org.pf4j.ExtensionPoint;

/**
 * An offline preference loss that trains the policy itself on (prompt, chosen, rejected) triples, with no
 * reward model and no sampling: DPO, SimPO, ORPO (the colossal-style plugin ships Coati's three). Each has an
 * implicit reward per answer; the stage reports the held-out margin of that reward (chosen minus rejected)
 * and the share of pairs where it is positive.
 *
 * <p>Lifecycle: created through Guice, with its settings block injected, when a preference stage is built
 * (one per variant block of the stage's settings), before any stage runs, and dropped with the stage (it holds
 * nothing to close). {@link #needsReference()} is read once at start: when true, the stage keeps a frozen copy
 * of the starting model and fills the batch's reference log-probabilities; when false they are null and no
 * copy is made. {@link #loss} is then called for every batch inside the step's NDManager, between the stage's
 * forward pass and its backward pass, from the thread that records gradients, and {@link #reward} for training
 * metrics and held-out evaluation (no gradients). Both must build their results from the batch's arrays only,
 * constants as tensors of the operands' manager (never {@code NDArray.mul(Number)} under autograd: docs/pitfalls.md),
 * so that gradients flow to the policy's log-probabilities.
 *
 * @since 0.1.0
 */
public interface PolicyPreferenceLoss extends ExtensionPoint {

    /** Whether {@link PolicyPairBatch#referenceChosenLogProbs()} and its rejected twin must be filled. */
    boolean needsReference();

    /** The scalar loss of the batch (mean over pairs), differentiable in the policy's log-probabilities. */
    NDArray loss(PolicyPairBatch batch);

    /**
     * The loss's implicit reward of each answer, (P): e.g. beta (log pi - log ref) for DPO.
     *
     * @param logProbs (P) the policy's summed answer log-probabilities
     * @param lengths (P) the answer lengths in tokens
     * @param referenceLogProbs (P) the reference model's sums, or null when {@link #needsReference()} is false
     */
    NDArray reward(NDArray logProbs, NDArray lengths, NDArray referenceLogProbs);

    /** The implicit reward margin of each pair, reward(chosen) - reward(rejected): (P). */
    default NDArray margin(PolicyPairBatch b) {
        return reward(b.chosenLogProbs(), b.chosenLengths(), b.referenceChosenLogProbs())
                .sub(reward(b.rejectedLogProbs(), b.rejectedLengths(), b.referenceRejectedLogProbs()));
    }
}
