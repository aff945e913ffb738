package org.rlhf4j.host.ppo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.reward.PromptAnswer;
import org.rlhf4j.api.reward.Reward;
import org.rlhf4j.api.reward.RewardModel;

/**
 * Scores every answer 1 and counts the instances created and closed, for the lifecycle test; a call after
 * {@link #close()} fails. Found like any built-in extension.
 */
@Extension
@ExtensionName("test-recording-reward")
public final class RecordingReward implements RewardModel {

    static final AtomicInteger CREATED = new AtomicInteger();
    static final AtomicInteger CLOSED = new AtomicInteger();

    private boolean closed;

    public RecordingReward() {
        CREATED.incrementAndGet();
    }

    @Override
    public List<Reward> score(List<PromptAnswer> batch) {
        if (closed) {
            throw new IllegalStateException("scored after close");
        }
        List<Reward> out = new ArrayList<>();
        batch.forEach(b -> out.add(Reward.of(1.0)));
        return out;
    }

    @Override
    public void close() {
        closed = true;
        CLOSED.incrementAndGet();
    }
}
