package org.rlhf4j.api.ppo;

import ai.djl.ndarray.NDArray;

/**
 * What a {@link PpoScheduler} computes from an {@link Experience}: all (B, T), zero off the action mask.
 *
 * @param rewards the per-token rewards (KL penalty plus the placed score)
 * @param advantages the advantages the policy loss uses
 * @param returns the targets of the value loss
 */
public record Advantages(NDArray rewards, NDArray advantages, NDArray returns) {
}
