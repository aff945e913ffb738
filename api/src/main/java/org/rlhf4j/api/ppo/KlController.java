package org.rlhf4j.api.ppo;

import java.util.Map;
import org.pf4j.ExtensionPoint;

/**
 * The coefficient of the KL penalty against the reference policy, per PPO step.
 *
 * <p>Lifecycle: created through Guice when a ppo stage is built, before any stage runs (its settings hold the
 * initial value), and dropped with the stage (it holds nothing to close);
 * {@link #coefficient()} is read when rewards are built; {@link #update(double, int)} is called once per
 * PPO step after the rollout. {@link #state()} and {@link #restore(Map)} carry it through checkpoints.
 *
 * @since 0.1.0
 */
public interface KlController extends ExtensionPoint {

    /** The current coefficient. */
    double coefficient();

    /**
     * Feeds one step's observed KL: the mean over sequences of each sequence's summed per-token KL,
     * with {@code nSteps} the number of sequences (TrlX's convention).
     */
    void update(double observedKl, int nSteps);

    /** The controller's state, for a checkpoint. */
    Map<String, Double> state();

    /** Restores {@link #state()} from a checkpoint. */
    void restore(Map<String, Double> state);
}
