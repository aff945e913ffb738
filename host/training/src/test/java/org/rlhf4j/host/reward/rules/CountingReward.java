package org.rlhf4j.host.reward.rules;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.reward.PromptAnswer;
import org.rlhf4j.api.reward.Reward;
import org.rlhf4j.api.reward.RewardModel;

/** Scores each answer by its length in characters and counts closes, for the composite's tests (found like a built-in). */
@Extension
@ExtensionName("test-counting-reward")
public final class CountingReward implements RewardModel {

    static final AtomicInteger CLOSED = new AtomicInteger();

    @Override
    public List<Reward> score(List<PromptAnswer> batch) {
        return batch.stream().map(pa -> Reward.of(pa.answer().length())).toList();
    }

    @Override
    public void close() {
        CLOSED.incrementAndGet();
    }
}
