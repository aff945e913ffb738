package org.rlhf4j.api.ppo;

import java.util.Map;
import org.pf4j.ExtensionPoint;

/**
 * The coefficient of the KL penalty against the reference policy, per PPO step.
 *
 * <p>Lifecycle: created through Guice when a ppo stage is built, before any stage runs (its settings hold the
 * initial value), and dropped with the stage (it holds nothing to close);
 * {@link #coefficient()} is read when rewards are built; {@link #update(double, int, int, int)} is called once
 * per PPO step after the rollout. {@link #state()} and {@link #restore(Map)} carry it through checkpoints.
 *
 * @since 0.1.0
 */
public interface KlController extends ExtensionPoint {

    /** The current coefficient. */
    double coefficient();

    /**
     * Feeds one step's observed KL: the mean over sequences of each sequence's summed per-token KL (its prompt's
     * tokens too when {@link #observesPrompt()}), with {@code nSteps} the number of sequences (TrlX's convention).
     */
    void update(double observedKl, int nSteps);

    /**
     * What the engine calls once per PPO step after the rollout: its observed KL (as in {@link #update(double, int)})
     * with the shape of the update that follows, {@code epochs} passes over minibatches of {@code minibatch}
     * sequences of a rollout of {@code rolloutSize}. The coefficient is read only when rewards are built, so a
     * controller that its system updates once per epoch or per minibatch may replay those updates here. By default
     * {@code update(observedKl, rolloutSize)}.
     *
     * @since 0.2.2
     */
    default void update(double observedKl, int rolloutSize, int epochs, int minibatch) {
        update(observedKl, rolloutSize);
    }

    /**
     * Whether the observed KL this controller is fed also sums the prompt tokens' terms: TrlX's {@code mean_kl} covers
     * every non-padding position of prompt and answer (accelerate_ppo_trainer.py:457-460). The engine then adds a pass
     * of the actor and the reference over the prompts. False by default: the answer's tokens only.
     *
     * @since 0.2.2
     */
    default boolean observesPrompt() {
        return false;
    }

    /** The controller's state, for a checkpoint. */
    Map<String, Double> state();

    /** Restores {@link #state()} from a checkpoint. */
    void restore(Map<String, Double> state);
}
