package org.rlhf4j.plugins.beaver;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.Map;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.Experience;
import org.rlhf4j.api.ppo.SafetyConstraint;

/**
 * Safe-RLHF's reward-shaping baseline: optimise score - lambda x cost with a fixed lambda. GAE is linear
 * in the rewards, so with one critic per signal the shaped advantage is A_r - lambda x A_c.
 */
@Extension
@ExtensionName("beaver.reward-shaping")
public final class RewardShapingConstraint implements SafetyConstraint {

    private final double lambda;
    private final BeaverPpoSettings ppo;

    @Inject
    public RewardShapingConstraint(@Settings Config settings) {
        this.lambda = settings.getDouble("lambda");
        this.ppo = BeaverPpoSettings.from(settings);
    }

    @Override
    public Advantages costAdvantages(Experience costs, double klCoef) {
        return SafeRlhfRewards.schedule(costs, klCoef, +1, ppo.clipRangeScore(), ppo.gamma(), ppo.lambda());
    }

    @Override
    public void update(double[] episodeCosts) {
        // Fixed multiplier.
    }

    @Override
    public float[][] actorAdvantage(float[][] rewardAdvantage, float[][] costAdvantage) {
        float[][] out = new float[rewardAdvantage.length][];
        for (int b = 0; b < out.length; b++) {
            out[b] = new float[rewardAdvantage[b].length];
            for (int t = 0; t < out[b].length; t++) {
                out[b][t] = (float) (rewardAdvantage[b][t] - lambda * costAdvantage[b][t]);
            }
        }
        return out;
    }

    @Override
    public double multiplier() {
        return lambda;
    }

    @Override
    public Map<String, Double> state() {
        return Map.of("lambda", lambda);
    }

    @Override
    public void restore(Map<String, Double> state) {
        // Fixed: nothing to restore.
    }
}
