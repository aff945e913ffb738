package org.rlhf4j.api.reward;

import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * The text-level reward API a team plugs its own judge into: (prompt, answer) to a score, higher is
 * better. A learned reward model, a rule, or a remote HTTP scorer all implement it.
 *
 * <p>Lifecycle: created through Guice when the stage that names it is built, before any stage runs (the ppo
 * stage's {@code ppo.reward}); {@link #score(List)} is then called with batches, from one thread, while that
 * stage runs; the stage closes it when its run ends, whether it returns or throws. A stage that does not run
 * (it finished earlier and the run resumes, or an earlier stage failed) never closes it, so acquire what needs
 * closing (a checkpoint, a connection) on the first {@code score}, not in the constructor. A failure throws,
 * naming the item; a NaN or infinite score is refused by the caller with the stage, step and record named.
 *
 * @since 0.1.0
 */
public interface RewardModel extends ExtensionPoint, AutoCloseable {

    /** One reward per item, in order. */
    List<Reward> score(List<PromptAnswer> batch) throws Exception;

    /** Frees what {@link #score} acquired; nothing by default. Called once, by the stage that created the model. */
    @Override
    default void close() {
    }
}
