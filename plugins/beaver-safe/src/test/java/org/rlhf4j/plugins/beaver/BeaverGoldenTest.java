package org.rlhf4j.plugins.beaver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.Experience;
import org.rlhf4j.api.ppo.LossSettings;
import org.rlhf4j.api.ppo.PpoLosses;
import org.rlhf4j.api.reward.PairBatch;

/**
 * Golden test against Safe-RLHF itself: {@code golden/beaver.json} holds seeded inputs and the outputs of
 * PKU-Alignment/safe-rlhf@82743cc's own functions (re-typed line for line by {@code golden/make_beaver_golden.py},
 * which names each file and line range): add_kl_divergence_regularization of ppo_lag (rewards and costs) and of ppo
 * (the shaped score), get_advantages_and_returns, both actor_loss_fn, critic_loss_fn, the log-lambda SGD steps of
 * rl_step over three rollouts, and the sequence-wise reward- and cost-model losses on score-model end scores.
 *
 * <p>Mapping of shapes. Upstream's sequence is [prompt, left padded, length S | answer, right padded, length A]; its
 * log-probs, values and {@code sequence_mask = attention_mask[:, 1:]} have length S + A - 1 and {@code start = S - 1}
 * is the first answer token's log-prob. Our {@link Experience} is (B, T = A) over answer positions only:
 * ours[b][t] = upstream[b][start + t]. Advantages and returns are (B, A) upstream already.
 *
 * <p>Tolerance: 1e-6 times max(1, |upstream|). Ours is float32 (rewards clamped at 50 have a float32 spacing of
 * 3.8e-6); the fixture is float64 on float32 inputs. Rewards, advantages and returns are compared on the mask (no
 * loss reads the rest).
 */
class BeaverGoldenTest {

    static final double TOL = 1e-6;

    static JsonNode in;
    static JsonNode lag;
    static JsonNode shaping;
    static JsonNode lambda;
    static JsonNode pref;
    static int start;

    @BeforeAll
    static void read() throws IOException {
        try (InputStream s = BeaverGoldenTest.class.getResourceAsStream("/golden/beaver.json")) {
            JsonNode root = new ObjectMapper().readTree(s);
            in = root.get("inputs");
            lag = root.get("ppo_lag");
            shaping = root.get("reward_shaping");
            lambda = root.get("lambda");
            pref = root.get("preference");
        }
        start = lag.get("start").asInt();
        assertEquals(in.get("P").asInt() - 1, start, "start = prompt length - 1");
    }

    static void close(double upstream, double ours, String what) {
        assertEquals(upstream, ours, TOL * Math.max(1, Math.abs(upstream)), what);
    }

    /** Rows of a JSON (B, N) array from column {@code from}. */
    static float[][] slice(JsonNode rows, int from) {
        float[][] x = new float[rows.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = new float[rows.get(i).size() - from];
            for (int t = 0; t < x[i].length; t++) {
                x[i][t] = (float) rows.get(i).get(from + t).asDouble();
            }
        }
        return x;
    }

    static float[][] answer(String name) {
        return slice(in.get(name), start);
    }

    static float[] vector(JsonNode v) {
        float[] x = new float[v.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) v.get(i).asDouble();
        }
        return x;
    }

    static double kl() {
        return in.get("kl_coeff").asDouble();
    }

    static Experience experience(String values, float[] scores) {
        return new Experience(answer("log_probs"), answer("ref_log_probs"), answer(values), scores, null, answer("sequence_mask"));
    }

    /** Every masked (row, t) where ours and upstream's {@code name} differ by more than the tolerance. */
    static List<String> diffs(String name, float[][] ours, JsonNode upstream, int from) {
        float[][] mask = answer("sequence_mask");
        List<String> d = new ArrayList<>();
        for (int b = 0; b < mask.length; b++) {
            for (int t = 0; t < mask[b].length; t++) {
                double u = upstream.get(b).get(from + t).asDouble();
                if (mask[b][t] > 0 && !(Math.abs(ours[b][t] - u) <= TOL * Math.max(1, Math.abs(u)))) {
                    d.add(String.format("%s[%d][%d]: ours %.7f, upstream %.7f", name, b, t, ours[b][t], u));
                }
            }
        }
        return d;
    }

    static List<String> scheduleDiffs(String side, Advantages ours, JsonNode out, String rewards, String adv, String ret) {
        List<String> d = new ArrayList<>();
        d.addAll(diffs(side + " rewards", ours.rewards(), out.get(rewards), start));
        d.addAll(diffs(side + " advantages", ours.advantages(), out.get(adv), 0));
        d.addAll(diffs(side + " returns", ours.returns(), out.get(ret), 0));
        return d;
    }

    static TokenLevelScheduler scheduler() {
        return new TokenLevelScheduler(BeaverTest.settings("token-level", ""));
    }

    static LagrangianConstraint lagrangian(String overrides) {
        return new LagrangianConstraint(BeaverTest.settings("lagrangian", overrides));
    }

    static double actorLoss(float[][] advantages) {
        float[][] mask = answer("sequence_mask");
        try (NDManager m = NDManager.newBaseManager()) {
            return PpoLosses.policy(m.create(answer("new_log_probs")), m.create(answer("log_probs")), m.create(advantages),
                    m.create(mask), scheduler().losses()).loss().getFloat();
        }
    }

    static double criticLoss(String newValues, String oldValues, float[][] returns) {
        try (NDManager m = NDManager.newBaseManager()) {
            return PpoLosses.value(m.create(answer(newValues)), m.create(answer(oldValues)), m.create(returns),
                    m.create(answer("sequence_mask")), scheduler().losses()).loss().getFloat();
        }
    }

    @Test
    void rewardsCostsAdvantagesAndReturnsOfPpoLagMatchUpstream() {
        Advantages reward = scheduler().schedule(experience("reward_values", vector(in.get("reward"))), kl());
        Advantages cost = lagrangian("").costAdvantages(experience("cost_values", vector(in.get("cost"))), kl());
        List<String> d = new ArrayList<>();
        d.addAll(scheduleDiffs("reward", reward, lag, "old_rewards", "reward_advantages", "reward_returns"));
        d.addAll(scheduleDiffs("cost", cost, lag, "old_costs", "cost_advantages", "cost_returns"));
        assertEquals(List.of(), d);
    }

    @Test
    void theActorLossMixesBothSidesWithLambdaAndAveragesPerSequence() {
        Advantages reward = scheduler().schedule(experience("reward_values", vector(in.get("reward"))), kl());
        Advantages cost = lagrangian("").costAdvantages(experience("cost_values", vector(in.get("cost"))), kl());
        LagrangianConstraint c = lagrangian("");
        c.restore(Map.of("log-lambda", lag.get("log_lambda").asDouble(), "steps", 0.0));
        float[][] mixed = c.actorAdvantage(reward.advantages(), cost.advantages());
        close(lag.get("actor_loss").asDouble(), actorLoss(mixed), "PPO-Lag actor loss at lambda 1.75");
        // a token mean (all answer tokens of the batch at once) weighs the 7-token answer 7 times the 1-token one
        try (NDManager m = NDManager.newBaseManager()) {
            LossSettings tokenMean = scheduler().losses().withAggregation(LossSettings.Aggregation.TOKEN_MEAN);
            double token = PpoLosses.policy(m.create(answer("new_log_probs")), m.create(answer("log_probs")), m.create(mixed),
                    m.create(answer("sequence_mask")), tokenMean).loss().getFloat();
            assertFalse(Math.abs(token - lag.get("actor_loss").asDouble()) < 1e-3, "token mean " + token);
        }
    }

    @Test
    void bothCriticLossesMatchUpstream() {
        Advantages reward = scheduler().schedule(experience("reward_values", vector(in.get("reward"))), kl());
        Advantages cost = lagrangian("").costAdvantages(experience("cost_values", vector(in.get("cost"))), kl());
        close(lag.get("reward_critic_loss").asDouble(), criticLoss("new_reward_values", "reward_values", reward.returns()),
                "reward critic loss");
        close(lag.get("cost_critic_loss").asDouble(), criticLoss("new_cost_values", "cost_values", cost.returns()),
                "cost critic loss");
    }

    @Test
    void rewardShapingTrainsOneCriticOnTheShapedScore() {
        RewardShapingConstraint c = new RewardShapingConstraint(BeaverTest.settings("reward-shaping",
                "lambda = " + shaping.get("lambda").asDouble()));
        assertFalse(c.needsCostCritic(), "no cost critic");
        float[] shaped = c.shapeScores(vector(in.get("reward")), vector(in.get("cost")));
        for (int b = 0; b < shaped.length; b++) {
            close(shaping.get("shaped_reward").get(b).asDouble(), shaped[b], "shaped score " + b);
        }
        // the reward side's schedule on the shaped score: -kl_coeff x KL once, no +KL cost term
        Advantages ours = scheduler().schedule(experience("reward_values", shaped), kl());
        assertEquals(List.of(), scheduleDiffs("shaped", ours, shaping, "old_rewards", "advantages", "returns"));
        close(shaping.get("actor_loss").asDouble(), actorLoss(ours.advantages()), "actor loss");
        close(shaping.get("critic_loss").asDouble(), criticLoss("new_reward_values", "reward_values", ours.returns()),
                "the one critic's loss");
    }

    @Test
    void lambdaStepsAtEveryRlStepAfterTheDelay() {
        JsonNode s = lambda.get("settings");
        LagrangianConstraint c = lagrangian(String.format(java.util.Locale.ROOT,
                "lambda-init = %s, lambda-lr = %s, lambda-max = %s, lambda-update-delay-steps = %d, episode-cost-window = %d, threshold = %s",
                s.get("lambda_init").asDouble(), s.get("lambda_lr").asDouble(), s.get("lambda_max").asDouble(),
                s.get("lambda_update_delay_steps").asInt(), s.get("episode_cost_window_size").asInt(), s.get("threshold").asDouble()));
        int perRollout = lambda.get("micro_batches").asInt() * lambda.get("update_iters").asInt();
        JsonNode steps = lambda.get("rl_steps");
        int k = 0;
        for (JsonNode rollout : lambda.get("rollouts")) {
            double[] costs = new double[rollout.size()];
            for (int i = 0; i < costs.length; i++) {
                costs[i] = rollout.get(i).asDouble();
            }
            c.update(costs);
            for (int j = 0; j < perRollout; j++, k++) {
                c.beforeMinibatch();
                close(steps.get(k).get("lambda").asDouble(), c.multiplier(), "lambda after rl_step " + (k + 1));
            }
        }
        assertEquals(steps.size(), k);
    }

    static NDArray rows(NDManager m, String name) {
        return m.create(slice(pref.get(name), 0));
    }

    static NDArray signs(NDManager m, String safetySigns) {
        float[] safety = vector(pref.get(safetySigns));
        float[] cost = new float[safety.length];
        for (int i = 0; i < cost.length; i++) {
            cost[i] = -safety[i]; // upstream's cost sign = -safety sign: +1 unsafe
        }
        return m.create(cost);
    }

    @Test
    void theRewardAndCostModelLossesMatchUpstream() {
        var reg = com.typesafe.config.ConfigFactory.parseString("regularization = " + pref.get("regularization").asDouble());
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = rows(m, "scores_a");
            NDArray b = rows(m, "scores_b");
            NDArray maskA = rows(m, "mask_a");
            NDArray maskB = rows(m, "mask_b");
            NDArray ids = m.zeros(a.getShape(), DataType.INT64);
            // reward: a = the better answers, b = the worse
            double reward = new RewardModelLoss(reg).loss(new PairBatch(ids, ids, a, b, maskA, maskB, null, null)).getFloat();
            close(pref.get("reward_loss").asDouble(), reward, "reward-model loss");
            // cost: chosen = a, the unsafer answers; rejected = b, the safer
            double cost = new CostModelLoss(reg).loss(new PairBatch(ids, ids, a, b, maskA, maskB,
                    signs(m, "unsafer_safety_sign"), signs(m, "safer_safety_sign"))).getFloat();
            close(pref.get("cost_loss").asDouble(), cost, "cost-model loss");
        }
    }

    @Test
    void theFixtureUsesThisPluginsDefaults() {
        LossSettings l = scheduler().losses();
        assertEquals(0.2, l.cliprange(), 0);
        assertEquals(5.0, l.cliprangeValue(), 0);
        assertEquals(LossSettings.Aggregation.SEQUENCE_MEAN, l.aggregation());
        assertEquals(0.02, kl(), 0, "beaver.token-level's system default fixed.coefficient");
        assertEquals(0.001, pref.get("regularization").asDouble(), 0);
        assertEquals(0.001, BeaverTest.settings("reward", "").getDouble("regularization"), 0);
        assertEquals(0.001, BeaverTest.settings("cost", "").getDouble("regularization"), 0);
        assertEquals(0.02, BeaverTest.settings("token-level", "").getDouble("system-defaults.fixed.coefficient"), 0);
    }
}
