package org.rlhf4j.api.reward;

import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * The text-level reward API a team plugs its own judge into: (prompt, answer) to a score, higher is
 * better. A learned reward model, a rule, or a remote HTTP scorer all implement it.
 *
 * <p>Lifecycle: created once per stage that needs rewards (ppo, evaluate) through Guice;
 * {@link #score(List)} is called with batches, from one thread. A failure throws, naming the item; a
 * NaN or infinite score is refused by the caller with the stage, step and record named.
 */
public interface RewardModel extends ExtensionPoint {

    /** One reward per item, in order. */
    List<Reward> score(List<PromptAnswer> batch) throws Exception;
}
