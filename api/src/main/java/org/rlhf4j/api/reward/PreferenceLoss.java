package org.rlhf4j.api.reward;

import ai.djl.ndarray.NDArray;
import org.pf4j.ExtensionPoint;

/**
 * The loss a reward (or cost) model learns preferences with, and how it reads one score off a sequence:
 * DeepSpeed-Chat's divergence-token loss, Coati's log-sigmoid and log-exp, Safe-RLHF's cost loss with
 * its sign terms.
 *
 * <p>Lifecycle: created through Guice when a reward or cost stage is built, before any stage runs, and dropped
 * with it (it holds nothing to close); {@link #loss(PairBatch)} is called for every
 * minibatch inside the step's NDManager and must build its result from the batch's arrays only (constants
 * as tensors of that manager: docs/pitfalls.md), so gradients flow to the values.
 *
 * @since 0.1.0
 */
public interface PreferenceLoss extends ExtensionPoint {

    /** The scalar loss of the batch (mean over pairs). */
    NDArray loss(PairBatch batch);

    /** One score per sequence from per-token values (B, T) and the mask (B, T): by default the last real token's. */
    default NDArray score(NDArray values, NDArray mask) {
        return RewardMath.lastValue(values, mask);
    }
}
