package org.rlhf4j.plugins.deepspeed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.Experience;
import org.rlhf4j.api.ppo.LossSettings;
import org.rlhf4j.api.ppo.PpoLosses;

/**
 * Golden test against DeepSpeed-Chat itself: {@code golden/dschat.json} holds seeded inputs and the outputs of
 * DeepSpeedExamples 83757d9c, dschat/rlhf/ppo_trainer.py (compute_rewards, the zeroing of train_rlhf,
 * get_advantages_and_returns, actor_loss_fn, critic_loss_fn), computed by {@code golden/make_dschat_golden.py}.
 *
 * <p>Mapping of shapes. DS-Chat's seq is [prompt, left padded, length P | answer, right padded, length A]; its
 * log-probs, values and {@code action_mask = attention_mask[:, 1:]} have length P + A - 1, position k being the
 * prediction of token k + 1; {@code start = P - 1} is the first answer token's log-prob. Our {@link Experience} is
 * (B, T = A) over answer positions only: ours[b][t] = DS-Chat[b][start + t] for log-probs, ref log-probs, values
 * and the mask (1 on the answer tokens, left-aligned); scores are {@code reward_score}. DS-Chat's advantages and
 * returns are already (B, A) from {@code start}. The KL coefficient is DS-Chat's kl_ctl (ours: configs/deepspeed.conf,
 * {@code fixed.coefficient = 0.1}); the other constants are this plugin's reference.conf, checked below.
 *
 * <p>Advantages and returns are compared on the mask only (DS-Chat computes numbers on padding too, and no loss
 * reads them); rewards on every answer position.
 */
class DsChatGoldenTest {

    static final double TOL = 1e-6;

    /**
     * The losses are float32 scalars (PpoLosses reads them with getFloat, so they cannot run in float64): they are
     * held to 1e-6 relative, |ours - upstream| <= 1e-6 max(1, |upstream|); the critic loss here is 7.87, whose float32
     * spacing is 4.8e-7, and DJL's float32 sums land 1.2e-6 from the float64 fixture.
     */
    static void assertLoss(double upstream, double ours, String what) {
        assertEquals(upstream, ours, TOL * Math.max(1, Math.abs(upstream)), what);
    }

    static JsonNode in;
    static JsonNode out;
    static int start;
    static int b;
    static int a;

    @BeforeAll
    static void read() throws IOException {
        try (InputStream s = DsChatGoldenTest.class.getResourceAsStream("/golden/dschat.json")) {
            JsonNode root = new ObjectMapper().readTree(s);
            in = root.get("inputs");
            out = root.get("outputs");
        }
        start = out.get("start").asInt();
        b = in.get("B").asInt();
        a = in.get("A").asInt();
        assertEquals(in.get("P").asInt() - 1, start, "start = prompt length - 1");
    }

    /** (B, A): DS-Chat's (B, P + A - 1) array {@code name} from {@code start}. */
    static float[][] answer(JsonNode node, String name) {
        return slice(node.get(name), start);
    }

    static float[][] slice(JsonNode rows, int from) {
        float[][] x = new float[rows.size()][];
        for (int i = 0; i < x.length; i++) {
            JsonNode row = rows.get(i);
            x[i] = new float[row.size() - from];
            for (int t = 0; t < x[i].length; t++) {
                x[i][t] = (float) row.get(from + t).asDouble();
            }
        }
        return x;
    }

    static double[][] doubles(JsonNode rows, int from) {
        double[][] x = new double[rows.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[rows.get(i).size() - from];
            for (int t = 0; t < x[i].length; t++) {
                x[i][t] = rows.get(i).get(from + t).asDouble();
            }
        }
        return x;
    }

    static Experience experience() {
        float[] scores = new float[b];
        for (int i = 0; i < b; i++) {
            scores[i] = (float) in.get("reward_score").get(i).asDouble();
        }
        return new Experience(answer(in, "log_probs"), answer(in, "ref_log_probs"), answer(in, "values"), scores, null,
                answer(in, "action_mask"));
    }

    static TokenLevelScheduler scheduler() {
        return new TokenLevelScheduler(TokenLevelSchedulerTest.defaults());
    }

    static Advantages ours() {
        return scheduler().schedule(experience(), 0.1);
    }

    /**
     * Every (row, t) in {@code rows} (masked positions only when {@code maskedOnly}) where ours and upstream differ
     * by more than {@link #TOL}, as "name[row][t]: ours x, upstream y"; empty when they agree.
     */
    static List<String> diffs(String name, float[][] ours, double[][] upstream, float[][] mask, boolean maskedOnly,
                              int... rows) {
        List<String> d = new ArrayList<>();
        for (int i : rows) {
            for (int t = 0; t < a; t++) {
                if (maskedOnly && mask[i][t] == 0) {
                    continue;
                }
                if (!(Math.abs(ours[i][t] - upstream[i][t]) <= TOL)) {
                    d.add(String.format("%s[%d][%d]: ours %.7f, upstream %.7f", name, i, t, ours[i][t], upstream[i][t]));
                }
            }
        }
        return d;
    }

    static List<String> scheduleDiffs(int... rows) {
        Advantages ours = ours();
        float[][] mask = answer(in, "action_mask");
        List<String> d = new ArrayList<>();
        d.addAll(diffs("rewards", ours.rewards(), doubles(out.get("old_rewards"), start), mask, false, rows));
        d.addAll(diffs("advantages", ours.advantages(), doubles(out.get("advantages"), 0), mask, true, rows));
        d.addAll(diffs("returns", ours.returns(), doubles(out.get("returns"), 0), mask, true, rows));
        return d;
    }

    @Test
    void theFixtureUsesThisPluginsDefaults() {
        JsonNode settings;
        try (InputStream st = DsChatGoldenTest.class.getResourceAsStream("/golden/dschat.json")) {
            settings = new ObjectMapper().readTree(st).get("settings");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        LossSettings l = scheduler().losses();
        assertEquals(settings.get("cliprange").asDouble(), l.cliprange(), 0);
        assertEquals(settings.get("cliprange_value").asDouble(), l.cliprangeValue(), 0);
        assertEquals(settings.get("kl_ctl").asDouble(), 0.1, 0, "the coefficient these tests pass");
        var c = TokenLevelSchedulerTest.defaults();
        assertEquals(settings.get("clip_reward_value").asDouble(), c.getDouble("clip-reward"), 0);
        assertEquals(settings.get("gamma").asDouble(), c.getDouble("gamma"), 0);
        assertEquals(settings.get("lam").asDouble(), c.getDouble("lambda"), 0);
    }

    @Test
    void theFullLengthRowMatchesUpstream() {
        // Row 0's answer fills all A positions: DS-Chat's ends = start + A + 1 runs past the end, so its score lands on
        // the last answer token, as ours does.
        List<String> d = scheduleDiffs(0);
        assertEquals(List.of(), d, "rewards, advantages and returns of row 0");
    }

    @Test
    void thePaddedRowsMatchUpstream() {
        // Rows 1 (answer of 4 of 6) and 2 (2 of 6) are right padded.
        List<String> d = scheduleDiffs(1, 2);
        assertEquals(List.of(), d, "rewards, advantages and returns of rows 1 and 2");
    }

    @Test
    void theActorLossMatchesUpstreamOnUpstreamAdvantages() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertLoss(out.get("actor_loss").asDouble(), actorLoss(m, slice(out.get("advantages"), 0)), "actor loss");
        }
    }

    @Test
    void theCriticLossMatchesUpstreamOnUpstreamReturns() {
        // old_values as DS-Chat passes them: zeroed from ends on, which only touches positions off the mask.
        try (NDManager m = NDManager.newBaseManager()) {
            assertLoss(out.get("critic_loss").asDouble(), criticLoss(m, slice(out.get("returns"), 0)), "critic loss");
        }
    }

    @Test
    void theLossesOfOurScheduleMatchUpstream() {
        Advantages ours = ours();
        try (NDManager m = NDManager.newBaseManager()) {
            double actor = actorLoss(m, ours.advantages());
            double critic = criticLoss(m, ours.returns());
            String both = "ours actor " + actor + ", critic " + critic + "; upstream actor " + out.get("actor_loss").asDouble()
                    + ", critic " + out.get("critic_loss").asDouble();
            assertLoss(out.get("actor_loss").asDouble(), actor, both);
            assertLoss(out.get("critic_loss").asDouble(), critic, both);
        }
    }

    static double actorLoss(NDManager m, float[][] advantages) {
        return PpoLosses.policy(m.create(answer(in, "new_log_probs")), m.create(answer(in, "log_probs")),
                m.create(advantages), m.create(answer(in, "action_mask")), scheduler().losses()).loss().getFloat();
    }

    static double criticLoss(NDManager m, float[][] returns) {
        return PpoLosses.value(m.create(answer(in, "new_values")), m.create(answer(out, "old_values")),
                m.create(returns), m.create(answer(in, "action_mask")), scheduler().losses().cliprangeValue()).loss().getFloat();
    }
}
