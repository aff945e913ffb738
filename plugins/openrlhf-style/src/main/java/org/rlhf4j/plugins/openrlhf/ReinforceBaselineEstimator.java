package org.rlhf4j.plugins.openrlhf;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;

/** REINFORCE++-baseline (OpenRLHF's reinforce_baseline): the group mean taken off each score, then the batch normalisation of REINFORCE++. See {@link AdvantageEstimator} for the schedule and its upstream lines. */
@Extension
@ExtensionName("openrlhf.reinforce-baseline")
public final class ReinforceBaselineEstimator extends AdvantageEstimator {

    @Inject
    public ReinforceBaselineEstimator(@Settings Config settings) {
        super(settings, Baseline.GROUP_MEAN, true);
    }
}
