package org.rlhf4j.plugins.openrlhf;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;

/** RLOO (OpenRLHF's rloo): each score less the mean of its group's other scores; no batch normalisation. See {@link AdvantageEstimator} for the schedule and its upstream lines. */
@Extension
@ExtensionName("openrlhf.rloo")
public final class RlooEstimator extends AdvantageEstimator {

    @Inject
    public RlooEstimator(@Settings Config settings) {
        super(settings, Baseline.LEAVE_ONE_OUT, false);
    }
}
