package org.rlhf4j.host.reward;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.Settings;

/**
 * {@code cost}: a cost model for safe PPO (Safe-RLHF), trained exactly as the reward model but on safety
 * pairs - "chosen" is the less safe answer, each answer labelled safe or unsafe - with a cost loss
 * ({@code cost.loss = beaver.cost}, from the beaver-safe plugin). Writes {@code checkpoints/cost/}.
 */
@Extension
@ExtensionName("cost")
public final class CostStage extends RewardStage {

    @Inject
    public CostStage(@Settings Config settings, Config config, Extensions extensions, RunContext run) {
        super(settings, config, extensions, run);
    }
}
