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
 * <p>Since 0.2.2 two further shapes of the update are open to a constraint. A multiplier that moves with every
 * optimizer update (Safe-RLHF's rl_step steps lambda before each micro-batch's actor loss) does so in
 * {@link #beforeMinibatch()}: the engine calls it before each minibatch's policy loss and mixes that minibatch's
 * advantages with {@link #actorAdvantage} right after it. A constraint that folds the cost into the reward instead
 * (Safe-RLHF's reward shaping: one critic on score - lambda x cost) returns false from {@link #needsCostCritic()}
 * and shapes the scores in {@link #shapeScores(float[], float[])}: the engine then loads and trains no cost critic
 * (the cost model still scores every rollout), hands the shaped scores to the scheduler, and the actor trains on the
 * scheduler's advantages; {@link #costAdvantages} and {@link #actorAdvantage} are not called.
 *
 * @since 0.1.0
 */
public interface SafetyConstraint extends ExtensionPoint {

    /** Per-token costs, cost advantages and cost returns; {@code costs.scores()} are the cost model's scores. */
    Advantages costAdvantages(Experience costs, double klCoef);

    /** Feeds the episode costs (one per sequence) of this step; a multiplier stepped once per rollout steps here. */
    void update(double[] episodeCosts);

    /**
     * The actor's advantage from the reward and cost advantages, both (B, T). Since 0.2.2 the engine calls it per
     * minibatch (the minibatch's rows), right after {@link #beforeMinibatch()}.
     */
    float[][] actorAdvantage(float[][] rewardAdvantage, float[][] costAdvantage);

    /**
     * Whether the method trains a critic on the costs. False: no cost critic is loaded or trained, the sequence scores
     * are {@link #shapeScores shaped} before the scheduler's schedule, and the actor uses the scheduler's advantages.
     *
     * @since 0.2.2
     */
    default boolean needsCostCritic() {
        return true;
    }

    /**
     * The scores the scheduler sees, from the reward model's and the cost model's (both (B)), when
     * {@link #needsCostCritic()} is false; by default the reward scores unchanged.
     *
     * @since 0.2.2
     */
    default float[] shapeScores(float[] rewardScores, float[] costScores) {
        return rewardScores;
    }

    /**
     * Called before each minibatch's policy loss (every epoch), after {@link #update(double[])} of the step: a
     * multiplier that moves with every optimizer update takes its step here. Nothing by default.
     *
     * @since 0.2.2
     */
    default void beforeMinibatch() {
    }

    /** The current multiplier (lambda). */
    double multiplier();

    Map<String, Double> state();

    void restore(Map<String, Double> state);
}
