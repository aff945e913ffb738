package org.rlhf4j.api.ppo;

import java.util.Map;
import org.pf4j.ExtensionPoint;

/**
 * Turns costs into the actor's objective and keeps its multiplier (Safe-RLHF's PPO-Lagrangian, or reward
 * shaping with a fixed multiplier). Positive cost means unsafe.
 *
 * <p>Lifecycle: created through Guice when a ppo stage is built, before any stage runs, and dropped with the
 * stage (it holds nothing to close). Per PPO step, after the rollout:
 * {@link #costAdvantages(Experience, double)} with the cost model's scores and the cost critic's values;
 * {@link #update(double[])} with the step's episode costs; then {@link #actorAdvantage(float[][], float[][])}
 * for the batch. {@link #state()} and {@link #restore(Map)} carry the multiplier through checkpoints.
 *
 * @since 0.1.0
 */
public interface SafetyConstraint extends ExtensionPoint {

    /** Per-token costs, cost advantages and cost returns; {@code costs.scores()} are the cost model's scores. */
    Advantages costAdvantages(Experience costs, double klCoef);

    /** Feeds the episode costs (one per sequence) of this step and updates the multiplier. */
    void update(double[] episodeCosts);

    /** The actor's advantage from the reward and cost advantages, both (B, T). */
    float[][] actorAdvantage(float[][] rewardAdvantage, float[][] costAdvantage);

    /** The current multiplier (lambda). */
    double multiplier();

    Map<String, Double> state();

    void restore(Map<String, Double> state);
}
