package org.rlhf4j.plugins.beaver;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.Experience;
import org.rlhf4j.api.ppo.SafetyConstraint;

/**
 * Safe-RLHF's PPO-Lagrangian (PKU-Alignment/safe-rlhf@82743cc, safe_rlhf/algorithms/ppo_lag/trainer.py):
 * <pre>
 *   J_c        = mean cost of the last `episode-cost-window` episodes      (deque, lines 66 and 197; line 313)
 *   L(lambda)  = -(J_c - threshold) * exp(log_lambda)                      (line 318)
 *   log_lambda -= lambda_lr * dL/dlog_lambda                               torch.optim.SGD, no momentum (line 64)
 *   log_lambda  = min(log_lambda, log(lambda_max))                         (lines 322-324)
 *   A_actor    = (A_r - lambda * A_c) / (1 + lambda)                       (actor_loss_fn, line 300)
 * </pre>
 * The costs of a rollout enter the window when it is scored ({@link #update}); lambda takes its step at the start of
 * every rl_step (lines 312-324), i.e. before each minibatch's actor loss, every epoch ({@link #beforeMinibatch}),
 * once {@code lambda-update-delay-steps} rl_steps have been taken (global_step, line 317); that minibatch's actor
 * advantage then mixes with the new lambda. A cost above the threshold raises lambda, and the actor weighs safety more.
 * The cost side is {@link SafeRlhfRewards} with +kl_coeff x KL (lines 258-287).
 */
@Extension
@ExtensionName("beaver.lagrangian")
public final class LagrangianConstraint implements SafetyConstraint {

    record LagrangianSettings(double lambdaInit, double lambdaLr, double lambdaMax, int updateDelaySteps,
                              double threshold, int window) {
        static LagrangianSettings from(Config c) {
            LagrangianSettings s = new LagrangianSettings(c.getDouble("lambda-init"), c.getDouble("lambda-lr"),
                    c.getDouble("lambda-max"), c.getInt("lambda-update-delay-steps"), c.getDouble("threshold"),
                    c.getInt("episode-cost-window"));
            if (s.lambdaInit <= 0) {
                throw new ConfigProblem(c, "lambda-init", "lambda is learned through its log: it must start > 0");
            }
            if (s.window < 1) {
                throw new ConfigProblem(c, "episode-cost-window", "must be >= 1");
            }
            return s;
        }
    }

    private final LagrangianSettings settings;
    private final BeaverPpoSettings ppo;
    private final Deque<Double> episodeCosts = new ArrayDeque<>();
    private double logLambda;
    private int steps;

    @Inject
    public LagrangianConstraint(@Settings Config settings) {
        this.settings = LagrangianSettings.from(settings);
        this.ppo = BeaverPpoSettings.from(settings);
        this.logLambda = Math.log(this.settings.lambdaInit());
    }

    @Override
    public Advantages costAdvantages(Experience costs, double klCoef) {
        return SafeRlhfRewards.schedule(costs, klCoef, +1, ppo.clipRangeScore(), ppo.gamma(), ppo.lambda());
    }

    /** The rollout's episode costs enter the window (post_rollout, line 197). */
    @Override
    public void update(double[] costs) {
        for (double c : costs) {
            episodeCosts.addLast(c);
            if (episodeCosts.size() > settings.window()) {
                episodeCosts.removeFirst();
            }
        }
    }

    /** The step of log lambda that opens every rl_step (lines 312-324), counted in rl_steps for the delay. */
    @Override
    public void beforeMinibatch() {
        if (steps++ < settings.updateDelaySteps() || episodeCosts.isEmpty()) {
            return;
        }
        double jc = episodeCosts.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        logLambda = step(logLambda, jc, settings.threshold(), settings.lambdaLr(), settings.lambdaMax());
    }

    /**
     * One SGD step on log lambda of L = -(J_c - threshold) * exp(log_lambda), whose gradient is L itself, then the
     * cap at log(lambda_max) (none when lambda_max is 0: upstream's None).
     */
    static double step(double logLambda, double jc, double threshold, double lr, double lambdaMax) {
        double grad = -(jc - threshold) * Math.exp(logLambda);
        double next = logLambda - lr * grad;
        return lambdaMax > 0 ? Math.min(next, Math.log(lambdaMax)) : next;
    }

    @Override
    public float[][] actorAdvantage(float[][] rewardAdvantage, float[][] costAdvantage) {
        double lambda = multiplier();
        float[][] out = new float[rewardAdvantage.length][];
        for (int b = 0; b < out.length; b++) {
            out[b] = new float[rewardAdvantage[b].length];
            for (int t = 0; t < out[b].length; t++) {
                out[b][t] = (float) ((rewardAdvantage[b][t] - lambda * costAdvantage[b][t]) / (1 + lambda));
            }
        }
        return out;
    }

    @Override
    public double multiplier() {
        return Math.exp(logLambda);
    }

    @Override
    public Map<String, Double> state() {
        Map<String, Double> s = new HashMap<>();
        s.put("log-lambda", logLambda);
        s.put("steps", (double) steps);
        int i = 0;
        for (double c : episodeCosts) {
            s.put("episode-cost." + i++, c);
        }
        return s;
    }

    @Override
    public void restore(Map<String, Double> state) {
        logLambda = state.get("log-lambda");
        steps = state.get("steps").intValue();
        episodeCosts.clear();
        for (int i = 0; state.containsKey("episode-cost." + i); i++) {
            episodeCosts.addLast(state.get("episode-cost." + i));
        }
    }
}
