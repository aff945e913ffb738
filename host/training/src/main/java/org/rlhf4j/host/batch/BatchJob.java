package org.rlhf4j.host.batch;

import java.io.Serializable;

/**
 * What a batch job computes, as it travels to executors: the mode, the checkpoint folders (absolute paths, which
 * every executor must see under the same name) and the run's resolved config as text.
 *
 * @param mode what each record gets
 * @param model the language model: generates ({@link Mode#GENERATE}), or gives the answers' likelihood
 *              ({@link Mode#EVALUATE}, may be null); the reward model for {@link Mode#SCORE}
 * @param reward the reward model of {@link Mode#EVALUATE}, or null
 * @param cost the cost model of {@link Mode#EVALUATE}, or null
 * @param configText the resolved config, rendered (its {@code batch}, {@code tokenizer}, {@code classify} and
 *                   {@code run} blocks are read)
 */
public record BatchJob(Mode mode, String model, String reward, String cost, String configText) implements Serializable {

    /** What a batch job computes per record. */
    public enum Mode {
        /** K sampled answers per prompt: {@code answers}. */
        GENERATE,
        /** A reward (or cost) model's score per answer: {@code score} or {@code scores}. */
        SCORE,
        /** Per answer: {@code reward}, {@code cost}, {@code nll} and {@code tokens}, for the models given. */
        EVALUATE
    }

    public BatchJob {
        if (mode != Mode.EVALUATE && model == null) {
            throw new IllegalArgumentException(mode + " needs a model");
        }
        if (mode == Mode.EVALUATE && model == null && reward == null && cost == null) {
            throw new IllegalArgumentException("evaluation needs at least one of a language, reward or cost model");
        }
    }
}
