package org.rlhf4j.plugins.openrlhf;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;

/** REINFORCE++ (OpenRLHF's reinforce): no baseline; token-level KL in the reward and the advantages normalised over the batch's tokens. See {@link AdvantageEstimator} for the schedule and its upstream lines. */
@Extension
@ExtensionName("openrlhf.reinforce")
public final class ReinforceEstimator extends AdvantageEstimator {

    @Inject
    public ReinforceEstimator(@Settings Config settings) {
        super(settings, Baseline.NONE, true);
    }
}
