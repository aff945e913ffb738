package org.rlhf4j.api.ppo;

import org.pf4j.ExtensionPoint;

/**
 * Decides the unit of the PPO update: where rewards are placed (last token, every token, the whole
 * sequence) and how advantages and returns follow from them (GAE, sequence-level baseline, whitening).
 *
 * <p>Lifecycle: created once per ppo stage through Guice. {@link #schedule(Experience, double)} is called
 * once per rollout batch, inside the step's NDManager; it must not keep references to the arrays.
 */
public interface PpoScheduler extends ExtensionPoint {

    /** Rewards, advantages and returns for one batch, with {@code klCoef} from the KL controller. */
    Advantages schedule(Experience experience, double klCoef);
}
