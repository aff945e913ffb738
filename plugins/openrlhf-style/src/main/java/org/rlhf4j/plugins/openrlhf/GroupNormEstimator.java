package org.rlhf4j.plugins.openrlhf;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;

/** GRPO's advantage (OpenRLHF's group_norm): (r - group mean) / (group std + 1e-9); no batch normalisation. See {@link AdvantageEstimator} for the schedule and its upstream lines. */
@Extension
@ExtensionName("openrlhf.group-norm")
public final class GroupNormEstimator extends AdvantageEstimator {

    @Inject
    public GroupNormEstimator(@Settings Config settings) {
        super(settings, Baseline.GROUP_NORM, false);
    }
}
