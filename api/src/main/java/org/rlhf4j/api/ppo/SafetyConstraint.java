package org.rlhf4j.api.ppo;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.pf4j.ExtensionPoint;

/**
 * Turns costs into the actor's objective and updates its multiplier (Safe-RLHF's PPO-Lagrangian, or
 * reward shaping with a fixed multiplier).
 *
 * <p>Lifecycle: created once per ppo stage through Guice. Per PPO step: {@link #update(double)} with the
 * mean cost of the latest episodes, then {@link #actorAdvantage(NDArray, NDArray)} for every minibatch.
 * {@link #state()} and {@link #restore(Map)} carry the multiplier through checkpoints.
 */
public interface SafetyConstraint extends ExtensionPoint {

    /** The actor's advantage from the reward and cost advantages, both (B, T). */
    NDArray actorAdvantage(NDArray rewardAdvantage, NDArray costAdvantage);

    /** Updates the multiplier from the mean episode cost of this step. */
    void update(double meanEpisodeCost);

    /** The current multiplier (lambda). */
    double multiplier();

    Map<String, Double> state();

    void restore(Map<String, Double> state);
}
