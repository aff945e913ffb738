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
 * Safe-RLHF's reward side (PKU-Alignment/safe-rlhf@82743cc): {@link SafeRlhfRewards} (per-token -kl_coeff x KL, the
 * reward score at the last answer token, clamped to +-50, GAE with gamma 1 and lambda 0.95), then PPO's clipped
 * losses with clip_range_ratio 0.2 and a critic value clip of 5 (safe_rlhf/trainers/rl_trainer.py lines 653-669;
 * algorithms/ppo_lag/trainer.py lines 289-309), both averaged per sequence and then over the batch: masked_mean
 * (safe_rlhf/utils.py lines 201-208) is {@code ((x * mask).sum(dim=-1) / mask.sum(dim=-1)).mean()}. The cost side is
 * the {@link LagrangianConstraint}'s {@code costAdvantages}; {@link RewardShapingConstraint} shapes the scores this
 * schedule sees instead.
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
        return LossSettings.standard(settings.clipRangeRatio(), settings.clipRangeValue())
                .withAggregation(LossSettings.Aggregation.SEQUENCE_MEAN);
    }
}
