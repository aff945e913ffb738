package org.rlhf4j.api.ppo;

import org.pf4j.ExtensionPoint;

/**
 * Decides the unit of the PPO update: where rewards are placed (last token, every token, the whole
 * sequence) and how advantages and returns follow from them (GAE, a sequence-level baseline, whitening),
 * and which clipped losses train on them.
 *
 * <p>Lifecycle: created through Guice when a ppo stage is built, before any stage runs (its settings carry its
 * system's defaults), and dropped with the stage (it holds nothing to close). {@link #needsCritic()} and
 * {@link #losses()} are read once when training starts. {@link #schedule(Experience, double, int)} is called once
 * per rollout batch with the KL coefficient and the number of the step; besides its result it may only update
 * running statistics (TrlX's reward scaling), which {@link #state()} and {@link #restore(java.util.Map)} carry
 * through checkpoints. {@link #minibatchAdvantages} is called once per training minibatch, and must be a pure function.
 *
 * @since 0.1.0
 */
public interface PpoScheduler extends ExtensionPoint {

    /** Rewards, advantages and returns for one batch, with {@code klCoef} from the KL controller. */
    Advantages schedule(Experience experience, double klCoef);

    /**
     * What the engine calls: {@link #schedule(Experience, double)} for PPO step {@code step} (1 for the first). A
     * scheduler whose math depends on the step (a baseline warm-up, an annealed coefficient) overrides this one.
     *
     * @since 0.2.1
     */
    default Advantages schedule(Experience experience, double klCoef, int step) {
        return schedule(experience, klCoef);
    }

    /**
     * Whether the method trains a value function. A critic-free scheduler (REINFORCE, a group baseline) returns
     * false: the engine then loads no critic, computes no values ({@link Experience#values()} is all zeros) and takes
     * no value step; {@link LossSettings#sharedTrunk()} is ignored.
     *
     * @since 0.2.1
     */
    default boolean needsCritic() {
        return true;
    }

    /**
     * The fewest answers per prompt the method needs ({@code ppo.samples-per-prompt}, {@link Experience#groupSize()}):
     * a group baseline (GRPO, RLOO) needs 2 or more. The engine reads it when the stage is built and fails naming the
     * setting when the run samples fewer. 1 by default.
     *
     * @since 0.2.4
     */
    default int minimumGroupSize() {
        return 1;
    }

    /**
     * The actor's advantages of one training minibatch, just before its policy loss: the engine calls this for every
     * minibatch of every epoch with the minibatch's rows of the advantages and of the mask, both (b, T), and trains
     * on what it returns. By default they are unchanged; TrlX whitens them here, per minibatch, as its loss() does.
     *
     * @since 0.2.2
     */
    default float[][] minibatchAdvantages(float[][] advantages, float[][] mask) {
        return advantages;
    }

    /**
     * The value head the engine puts on the actor's trunk when {@link LossSettings#sharedTrunk()} (a separate critic
     * keeps its checkpoint's head).
     *
     * @since 0.2.2
     */
    enum ValueHead {
        /** Linear(C, 1) without bias, GPT2ForSequenceClassification's score layer. */
        LINEAR,
        /** TrlX's make_head: Linear(C, 2C), ReLU, Linear(2C, 1), with biases. */
        MLP
    }

    /**
     * Which {@link ValueHead} a value head on the actor's trunk is; read once when training starts. LINEAR by default.
     *
     * @since 0.2.2
     */
    default ValueHead valueHead() {
        return ValueHead.LINEAR;
    }

    /**
     * Whether the policy and value losses cover each answer's stop token. True by default; TrlX's do not with GPT-2,
     * whose pad token is its eos: loss() masks with attention_mask, where the eos is padding
     * (accelerate_ppo_trainer.py:177, 191). The rewards and advantages still cover it.
     *
     * @since 0.2.2
     */
    default boolean trainsOnStopToken() {
        return true;
    }

    /**
     * Whether the critic gives one value per sequence instead of one per answer position: read off the hidden state
     * of the last real token of prompt + answer (the last column the attention mask marks), as Coati v1's
     * {@code Critic.forward} does (ColossalAI 7b9b86441, applications/Chat/coati/models/base/critic.py lines 26-34).
     * The engine then writes that value on every answer token of {@link Experience#values()} (zero off the mask) and
     * reads it the same way in the value step, so the value loss sees the sequence's value broadcast over its answer:
     * with {@link LossSettings.Aggregation#SEQUENCE_MEAN} it is the plain mean over sequences of one scalar each.
     *
     * @since 0.2.2
     */
    default boolean valuePerSequence() {
        return false;
    }

    /** How the engine turns advantages into the policy and value losses of this system. */
    LossSettings losses();

    /**
     * The settings the value loss uses (its clip, weight and aggregation) when they differ from {@link #losses()}'s:
     * Coati v2 averages its policy loss per sequence but its value loss over all answer tokens of the minibatch
     * (ColossalAI 4f9953be3, applications/ColossalChat/coati/models/loss.py lines 62-66 and 90-91). By default
     * {@link #losses()}.
     *
     * @since 0.2.2
     */
    default LossSettings valueLosses() {
        return losses();
    }

    /** Running statistics to checkpoint (none by default). */
    default java.util.Map<String, Double> state() {
        return java.util.Map.of();
    }

    /** Restores {@link #state()}. */
    default void restore(java.util.Map<String, Double> state) {
    }
}
