package org.rlhf4j.api.ppo;

/**
 * What a {@link PpoScheduler} computes from an {@link Experience}: all (B, T), zero off the mask.
 *
 * @param rewards the per-token rewards (KL penalty plus the placed score)
 * @param advantages the advantages the policy loss uses
 * @param returns the targets of the value loss
 *
 * @since 0.1.0
 */
public record Advantages(float[][] rewards, float[][] advantages, float[][] returns) {
}
