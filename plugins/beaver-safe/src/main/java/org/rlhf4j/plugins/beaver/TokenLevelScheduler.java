package org.rlhf4j.plugins.beaver;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.Experience;
import org.rlhf4j.api.ppo.LossSettings;
import org.rlhf4j.api.ppo.PpoScheduler;

/**
 * Safe-RLHF's reward side: per-token KL penalty, the reward score at the last answer token, rewards
 * clamped to +-50, GAE (1, 0.95); PPO clip 0.2 and a critic value clip of 5. The cost side is the
 * {@link LagrangianConstraint}'s (or {@link RewardShapingConstraint}'s) {@code costAdvantages}.
 */
@Extension
@ExtensionName("beaver.token-level")
public final class TokenLevelScheduler implements PpoScheduler {

    private final BeaverPpoSettings settings;

    @Inject
    public TokenLevelScheduler(@Settings Config settings) {
        this.settings = BeaverPpoSettings.from(settings);
    }

    @Override
    public Advantages schedule(Experience e, double klCoef) {
        return SafeRlhfRewards.schedule(e, klCoef, -1, settings.clipRangeScore(), settings.gamma(), settings.lambda());
    }

    @Override
    public LossSettings losses() {
        return LossSettings.standard(settings.clipRangeRatio(), settings.clipRangeValue());
    }
}
