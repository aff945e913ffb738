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
 * Safe-RLHF's reward-shaping baseline (PKU-Alignment/safe-rlhf@82743cc,
 * safe_rlhf/algorithms/ppo_reward_shaping/trainer.py): plain PPO on one shaped score per answer,
 * <pre>
 *   shaped = reward - lambda * cost                        (lines 213-214; lambda = --lambda_init, line 55)
 * </pre>
 * which then goes through the reward side's schedule unchanged (add_kl_divergence_regularization of
 * algorithms/ppo/trainer.py lines 106-125: -kl_coeff x KL once, the score at the last answer token, clamp +-50;
 * GAE), with ONE critic (the reward critic) trained on the shaped returns (lines 215-253). There is no cost critic
 * ({@link #needsCostCritic()} is false): the cost model only scores the rollouts. The actor trains on the reward
 * side's advantages. lambda stays fixed; upstream's episode-cost window here only feeds a log line.
 */
@Extension
@ExtensionName("beaver.reward-shaping")
public final class RewardShapingConstraint implements SafetyConstraint {

    private final double lambda;

    @Inject
    public RewardShapingConstraint(@Settings Config settings) {
        this.lambda = settings.getDouble("lambda");
    }

    @Override
    public boolean needsCostCritic() {
        return false;
    }

    /** reward - lambda * cost per answer, (B). */
    @Override
    public float[] shapeScores(float[] rewardScores, float[] costScores) {
        float[] out = new float[rewardScores.length];
        for (int b = 0; b < out.length; b++) {
            out[b] = (float) (rewardScores[b] - lambda * costScores[b]);
        }
        return out;
    }

    @Override
    public Advantages costAdvantages(Experience costs, double klCoef) {
        throw new IllegalStateException("reward shaping trains no cost critic: the engine shapes the scores instead");
    }

    @Override
    public void update(double[] episodeCosts) {
        // Fixed multiplier.
    }

    @Override
    public float[][] actorAdvantage(float[][] rewardAdvantage, float[][] costAdvantage) {
        throw new IllegalStateException("reward shaping trains no cost critic: the actor takes the reward side's advantages");
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
