package org.rlhf4j.host.ppo;

import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.reward.PromptAnswer;
import org.rlhf4j.api.reward.Reward;
import org.rlhf4j.api.reward.RewardModel;

/** Reward functions that go wrong, for the PPO stage's bad-input tests (found like any built-in extension). */
final class BrokenRewards {

    private BrokenRewards() {
    }

    /** Scores every answer 1, except the second of each batch, which gets NaN. */
    @Extension
    @ExtensionName("test-nan-reward")
    public static final class NanReward implements RewardModel {
        @Override
        public List<Reward> score(List<PromptAnswer> batch) {
            List<Reward> out = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                out.add(Reward.of(i == 1 ? Double.NaN : 1.0));
            }
            return out;
        }
    }

    /** Throws, as a remote scorer that is down would. */
    @Extension
    @ExtensionName("test-failing-reward")
    public static final class FailingReward implements RewardModel {
        @Override
        public List<Reward> score(List<PromptAnswer> batch) throws Exception {
            throw new java.io.IOException("connection refused by the scoring service");
        }
    }
}
