package com.example.rlhf;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.Map;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.Experience;
import org.rlhf4j.api.ppo.LossSettings;
import org.rlhf4j.api.ppo.PpoMath;
import org.rlhf4j.api.ppo.PpoScheduler;

/**
 * REINFORCE with a baseline, in place of GAE: the whole answer is one action.
 * <pre>
 *   r_t  = -kl_coef * (log pi - log ref)_t     on every answer token
 *   r_T += score                               at the last answer token (clamped to +-clip-reward when it is > 0)
 *   G    = sum_t r_t                           the sequence's return
 *   A_t  = G - b                               on every answer token, b the baseline
 *   R_t  = G                                   the returns, for the record: no critic trains on them
 * </pre>
 * Critic-free ({@link #needsCritic()} is false): the host loads, scores and trains no critic, so a run needs no
 * critic checkpoint and {@code e.values()} are zeros.
 * With {@code baseline = running}, b is an exponential moving average of the batches' mean return before this batch
 * (this batch's mean on the first one); it is checkpointed through {@link #state()}. With {@code batch}, b is this
 * batch's mean return.
 */
@Extension
@ExtensionName("example.reinforce")
public final class ReinforceScheduler implements PpoScheduler {

    private final boolean running;
    private final double decay;
    private final double clipReward;
    private final LossSettings losses;
    private double baseline;
    private long batches;

    @Inject
    public ReinforceScheduler(@Settings Config settings) {
        String kind = settings.getString("baseline");
        if (!kind.equals("running") && !kind.equals("batch")) {
            throw new ConfigProblem(settings, "baseline", "must be running or batch, got '" + kind + "'");
        }
        this.running = kind.equals("running");
        this.decay = settings.getDouble("baseline-decay");
        if (decay < 0 || decay >= 1) {
            throw new ConfigProblem(settings, "baseline-decay", "must lie in [0, 1), got " + decay);
        }
        this.clipReward = settings.getDouble("clip-reward");
        if (clipReward < 0) {
            throw new ConfigProblem(settings, "clip-reward", "must be >= 0 (0 for no clamp), got " + clipReward);
        }
        double cliprange = settings.getDouble("cliprange");
        double cliprangeValue = settings.getDouble("cliprange-value");
        if (!(cliprange > 0) || !(cliprangeValue > 0)) {
            throw new ConfigProblem(settings, "cliprange", "cliprange and cliprange-value must be > 0");
        }
        this.losses = LossSettings.standard(cliprange, cliprangeValue);
    }

    @Override
    public Advantages schedule(Experience e, double klCoef) {
        float[][] rewards = PpoMath.klPenaltyWithLastTokenScore(e, klCoef, clipReward);
        double[] returns = PpoMath.sequenceSums(rewards, e.mask());
        double mean = 0;
        for (double g : returns) {
            mean += g / returns.length;
        }
        double b = running && batches > 0 ? baseline : mean;
        if (running) {
            baseline = batches == 0 ? mean : decay * baseline + (1 - decay) * mean;
            batches++;
        }
        float[][] adv = new float[e.batchSize()][e.length()];
        float[][] ret = new float[e.batchSize()][e.length()];
        for (int i = 0; i < e.batchSize(); i++) {
            for (int t = 0; t < e.length(); t++) {
                if (e.mask()[i][t] > 0) { // zero off the mask, as the api requires
                    adv[i][t] = (float) (returns[i] - b);
                    ret[i][t] = (float) returns[i];
                }
            }
        }
        return new Advantages(rewards, adv, ret);
    }

    @Override
    public boolean needsCritic() {
        return false;
    }

    @Override
    public LossSettings losses() {
        return losses;
    }

    @Override
    public Map<String, Double> state() {
        return running ? Map.of("baseline", baseline, "batches", (double) batches) : Map.of();
    }

    @Override
    public void restore(Map<String, Double> state) {
        if (running && state.containsKey("baseline")) {
            baseline = state.get("baseline");
            batches = state.getOrDefault("batches", 1.0).longValue();
        }
    }
}
