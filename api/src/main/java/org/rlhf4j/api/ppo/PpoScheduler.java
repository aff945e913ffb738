package org.rlhf4j.api.ppo;

import org.pf4j.ExtensionPoint;

/**
 * Decides the unit of the PPO update: where rewards are placed (last token, every token, the whole
 * sequence) and how advantages and returns follow from them (GAE, a sequence-level baseline, whitening),
 * and which clipped losses train on them.
 *
 * <p>Lifecycle: created through Guice when a ppo stage is built, before any stage runs (its settings carry its
 * system's defaults), and dropped with the stage (it holds nothing to close).
 * {@link #schedule(Experience, double)} is called once per rollout batch with the KL coefficient of the
 * step; besides its result it may only update running statistics (TrlX's reward scaling), which
 * {@link #state()} and {@link #restore(java.util.Map)} carry through checkpoints. {@link #losses()} is read
 * once when training starts.
 */
public interface PpoScheduler extends ExtensionPoint {

    /** Rewards, advantages and returns for one batch, with {@code klCoef} from the KL controller. */
    Advantages schedule(Experience experience, double klCoef);

    /** How the engine turns advantages into the policy and value losses of this system. */
    LossSettings losses();

    /** Running statistics to checkpoint (none by default). */
    default java.util.Map<String, Double> state() {
        return java.util.Map.of();
    }

    /** Restores {@link #state()}. */
    default void restore(java.util.Map<String, Double> state) {
    }
}
