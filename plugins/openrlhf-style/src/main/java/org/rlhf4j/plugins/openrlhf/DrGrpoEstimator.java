package org.rlhf4j.plugins.openrlhf;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;

/** Dr. GRPO (OpenRLHF's dr_grpo): the group mean taken off, no division by the std and no batch normalisation; the loss stays OpenRLHF's token mean. See {@link AdvantageEstimator} for the schedule and its upstream lines. */
@Extension
@ExtensionName("openrlhf.dr-grpo")
public final class DrGrpoEstimator extends AdvantageEstimator {

    @Inject
    public DrGrpoEstimator(@Settings Config settings) {
        super(settings, Baseline.GROUP_MEAN, false);
    }
}
