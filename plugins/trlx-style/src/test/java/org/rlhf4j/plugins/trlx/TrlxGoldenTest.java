package org.rlhf4j.plugins.trlx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
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
import org.rlhf4j.api.ppo.PpoMath;
import org.rlhf4j.api.ppo.RunningMoments;

/**
 * Golden test against TrlX itself: {@code golden/trlx.json} holds seeded inputs and the outputs of CarperAI/trlx
 * 3340c2f (RunningMoments, make_experience's reward construction, get_advantages_and_returns with whiten, PPOConfig.loss,
 * the KL controllers with TrlX's call pattern), computed by {@code golden/make_trlx_golden.py}.
 *
 * <p>Mapping of shapes. A TrlX chunk is all_tokens = [prompt, left padded, P | response, S] with pad == eos, its
 * log-probs (P + S - 1) being those of tokens 1.., start = P - 1. Our {@link Experience} is (B, T = S) over answer
 * positions: ours[b][t] = TrlX[b][start + t] for log-probs, reference log-probs and values; the mask is 1 on the R real
 * answer tokens and the stop token (our engine's answer), R = {@code answer_real}. TrlX's rollout row is the answer and
 * one position past it (clipped at S), which the scheduler's row reproduces. A minibatch of the loss case is TrlX's
 * collate (right padded with zeros to its longest element), shorter than the chunk's S = our T.
 */
class TrlxGoldenTest {

    static final double TOL = 1e-6;

    static JsonNode root;

    @BeforeAll
    static void read() throws IOException {
        try (InputStream s = TrlxGoldenTest.class.getResourceAsStream("/golden/trlx.json")) {
            root = new ObjectMapper().readTree(s);
        }
    }

    /** Losses are float32 scalars: 1e-6 relative, |ours - upstream| <= 1e-6 max(1, |upstream|). */
    static void assertLoss(double upstream, double ours, String what) {
        assertEquals(upstream, ours, TOL * Math.max(1, Math.abs(upstream)), what);
    }

    static float[] floats(JsonNode row) {
        float[] x = new float[row.size()];
        for (int t = 0; t < x.length; t++) {
            x[t] = (float) row.get(t).asDouble();
        }
        return x;
    }

    /** Rows of {@code rows} from column {@code from}, {@code width} columns, zero past a row's end. */
    static float[][] block(JsonNode rows, int from, int width) {
        float[][] x = new float[rows.size()][width];
        for (int b = 0; b < x.length; b++) {
            for (int t = 0; t < width && from + t < rows.get(b).size(); t++) {
                x[b][t] = (float) rows.get(b).get(from + t).asDouble();
            }
        }
        return x;
    }

    static TokenLevelScheduler scheduler(String scaleReward) {
        return new TokenLevelScheduler(TrlxTest.with("token-level", "scale-reward = " + scaleReward));
    }

    @Test
    void theFixtureUsesThisPluginsDefaults() {
        JsonNode s = root.get("settings");
        Config c = TrlxTest.defaults("token-level");
        assertEquals(s.get("gamma").asDouble(), c.getDouble("gamma"), 0);
        assertEquals(s.get("lam").asDouble(), c.getDouble("lambda"), 0);
        assertEquals(s.get("cliprange_reward").asDouble(), c.getDouble("cliprange-reward"), 0);
        LossSettings l = scheduler("ignored").losses();
        assertEquals(s.get("cliprange").asDouble(), l.cliprange(), 0);
        assertEquals(s.get("cliprange_value").asDouble(), l.cliprangeValue(), 0);
        assertEquals(s.get("vf_coef").asDouble(), l.vfCoef(), 0);
        assertEquals(LossSettings.Aggregation.TOKEN_MEAN, l.aggregation(), "sum(x * mask) / mask.sum(), modeling_ppo.py:198, 214");
    }

    @Test
    void runningMomentsMatchUpstream() {
        RunningMoments m = new RunningMoments();
        for (JsonNode step : root.get("running_moments")) {
            double[] batch = m.update(floats(step.get("xs")));
            assertEquals(step.get("batch_mean").asDouble(), batch[0], TOL, "batch mean");
            assertEquals(step.get("batch_std").asDouble(), batch[1], TOL, "batch std (unbiased)");
            assertEquals(step.get("mean").asDouble(), m.mean(), TOL, "running mean");
            assertEquals(step.get("std").asDouble(), m.std(), TOL, "running std");
            assertEquals(step.get("count").asDouble(), m.count(), TOL, "count");
        }
    }

    /** One chunk of an experience case as our Experience. */
    static Experience experience(JsonNode kase, JsonNode in) {
        int start = kase.get("P").asInt() - 1;
        int s = kase.get("S").asInt();
        JsonNode real = kase.get("answer_real");
        int batch = real.size();
        float[][] mask = new float[batch][s];
        float[] scores = new float[batch];
        float[][] tokenScores = kase.get("dense").asBoolean() ? block(in.get("scores"), 0, s) : null;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t <= real.get(b).asInt(); t++) {
                mask[b][t] = 1; // R answer tokens and the stop token
            }
            if (tokenScores == null) {
                scores[b] = (float) in.get("scores").get(b).get(0).asDouble();
            }
        }
        return new Experience(block(in.get("logprobs"), start, s), block(in.get("ref_logprobs"), start, s),
                block(in.get("values"), start, s), scores, tokenScores, mask);
    }

    static List<String> diffs(String name, float[][] ours, float[][] upstream, float[][] mask) {
        List<String> d = new ArrayList<>();
        for (int b = 0; b < ours.length; b++) {
            for (int t = 0; t < ours[b].length; t++) {
                if (mask[b][t] > 0 && !(Math.abs(ours[b][t] - upstream[b][t]) <= TOL)) {
                    d.add(String.format("%s[%d][%d]: ours %.7f, upstream %.7f", name, b, t, ours[b][t], upstream[b][t]));
                }
            }
        }
        return d;
    }

    @Test
    void rewardsClipThenScaleThenPenaliseAsUpstream() {
        // Four cases of two chunks each: scale_reward running, ref and ignored with one score per answer, and running
        // with dense per-token scores. Scores beyond +-10 are clipped before the moments and the scaling. Compared on
        // every position: TrlX's row is the answer and one position past it, where a per-answer score lands.
        for (JsonNode kase : root.get("experience")) {
            TokenLevelScheduler s = scheduler(kase.get("scale_reward").asText());
            int chunk = 0;
            for (JsonNode c : kase.get("chunks")) {
                String where = kase.get("name").asText() + ", chunk " + chunk++;
                Experience e = experience(kase, c.get("inputs"));
                Advantages a = s.schedule(e, kase.get("kl_coef").asDouble());
                JsonNode out = c.get("outputs");
                assertEquals(List.of(), diffs("rewards", a.rewards(), block(out.get("rewards"), 0, e.length()), ones(e)), where);
                assertEquals(out.get("running_mean").asDouble(), s.state().get("mean"), TOL, where + ": running mean");
                assertEquals(out.get("running_std").asDouble(), s.state().get("std"), TOL, where + ": running std");
                assertEquals(out.get("ref_std").asDouble(), s.state().get("ref-std"), TOL, where + ": ref std");
            }
        }
    }

    @Test
    void instructGptsPlacementIsNotUpstreams() {
        // The switch score-placement = last-token puts the score on the stop token: a padded row then differs.
        JsonNode kase = root.get("experience").get(0);
        JsonNode c = kase.get("chunks").get(0);
        Experience e = experience(kase, c.get("inputs"));
        Advantages a = new TokenLevelScheduler(TrlxTest.with("token-level", "scale-reward = running, score-placement = last-token"))
                .schedule(e, kase.get("kl_coef").asDouble());
        List<String> d = diffs("rewards", a.rewards(), block(c.get("outputs").get("rewards"), 0, e.length()), ones(e));
        assertEquals(6, d.size(), "rows 1, 2 and 3 differ at the stop token and one past it: " + d);
    }

    static float[][] ones(Experience e) {
        float[][] all = new float[e.batchSize()][e.length()];
        for (float[] row : all) {
            java.util.Arrays.fill(row, 1);
        }
        return all;
    }

    @Test
    void theAnswersShareOfTheKlIsUpstreams() {
        for (JsonNode kase : root.get("experience")) {
            for (JsonNode c : kase.get("chunks")) {
                Experience e = experience(kase, c.get("inputs"));
                double ours = mean(PpoMath.trlxSequenceKl(e.logProbs(), e.refLogProbs(), e.mask()));
                assertEquals(c.get("outputs").get("mean_kl_from_start").asDouble(), ours, TOL);
            }
        }
    }

    @Test
    void theControllersKlWithThePromptIsUpstreams() {
        // The adaptive controller observes the prompt too (the engine's PromptKl): positions 0 .. P - 2 of TrlX's
        // log-probs, each counted when its own token is real (attention_mask[:, :-1]); the answer's as above.
        assertTrue(new AdaptiveKlController(TrlxTest.with("adaptive-kl", "target = 6")).observesPrompt());
        for (JsonNode kase : root.get("experience")) {
            int p = kase.get("P").asInt();
            for (JsonNode c : kase.get("chunks")) {
                JsonNode in = c.get("inputs");
                Experience e = experience(kase, in);
                float[][] promptMask = new float[e.batchSize()][p - 1];
                for (int b = 0; b < e.batchSize(); b++) {
                    for (int t = 0; t < p - 1; t++) {
                        promptMask[b][t] = in.get("prompts").get(b).get(t).asLong() != 0 ? 1 : 0; // pad id 0
                    }
                }
                double prompt = mean(PpoMath.trlxSequenceKl(block(in.get("logprobs"), 0, p - 1),
                        block(in.get("ref_logprobs"), 0, p - 1), promptMask));
                double answer = mean(PpoMath.trlxSequenceKl(e.logProbs(), e.refLogProbs(), e.mask()));
                assertEquals(c.get("outputs").get("mean_kl").asDouble(), prompt + answer, TOL);
            }
        }
    }

    static double mean(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s / xs.length;
    }

    @Test
    void advantagesWhitenedPerMinibatchAndTheLossMatchUpstream() {
        // One minibatch of TrlX elements (R real answer tokens, the eos, one position past it; a chunk 6 long), its
        // loss mask the R real tokens. Ours: the answer is R tokens and the stop token, T = the chunk's 6 columns.
        JsonNode in = root.get("loss").get("inputs");
        JsonNode out = root.get("loss").get("outputs");
        int t = root.get("loss").get("S").asInt();
        JsonNode real = root.get("loss").get("answer_real");
        int batch = real.size();
        float[][] answer = new float[batch][t];
        float[][] tokenRewards = new float[batch][t];
        float[] endScores = new float[batch];
        float[][] rewards = block(in.get("rewards"), 0, t);
        for (int b = 0; b < batch; b++) {
            int r = real.get(b).asInt();
            for (int k = 0; k <= r; k++) {
                answer[b][k] = 1;
                tokenRewards[b][k] = rewards[b][k];
            }
            endScores[b] = r + 1 < t ? rewards[b][r + 1] : 0; // the row's last position, past the eos
        }
        float[][] lossMask = block(in.get("mask"), 0, t);
        float[][] oldLp = block(in.get("old_logprobs"), 0, t);
        float[][] oldValues = block(in.get("old_values"), 0, t);
        // The element's rewards enter as per-token scores and a score at its end (within +-10: unclipped; unscaled),
        // the KL term being 0 with the reference equal to the policy.
        Experience e = new Experience(oldLp, oldLp, oldValues, endScores, tokenRewards, answer);
        TokenLevelScheduler s = scheduler("ignored");
        Advantages a = s.schedule(e, 0.05);
        float[][] all = ones(e);
        assertEquals(List.of(), diffs("raw advantages", a.advantages(), block(out.get("advantages_unwhitened"), 0, t), all));
        assertEquals(List.of(), diffs("returns", a.returns(), block(out.get("returns"), 0, t), lossMask));
        float[][] adv = s.minibatchAdvantages(a.advantages(), answer);
        assertEquals(List.of(), diffs("advantages", adv, block(out.get("advantages"), 0, t), lossMask));
        assertEquals(false, s.trainsOnStopToken(), "the engine's loss mask is then the answer without its stop token");

        LossSettings l = s.losses();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray mk = tensor(m, lossMask);
            PpoLosses.PolicyLoss pl = PpoLosses.policy(tensor(m, block(in.get("logprobs"), 0, t)), tensor(m, oldLp),
                    tensor(m, adv), mk, l);
            PpoLosses.ValueLoss vl = PpoLosses.value(tensor(m, block(in.get("values"), 0, t)), tensor(m, oldValues),
                    tensor(m, a.returns()), mk, l);
            double pg = pl.loss().getFloat();
            double vf = vl.loss().getFloat();
            assertLoss(out.get("pg_loss").asDouble(), pg, "pg_loss");
            assertLoss(out.get("vf_loss").asDouble(), vf, "vf_loss");
            assertLoss(out.get("loss").asDouble(), pg + l.vfCoef() * vf, "loss = pg_loss + vf_coef * vf_loss");
        }
    }

    static NDArray tensor(NDManager m, float[][] x) {
        float[] flat = new float[x.length * x[0].length];
        for (int b = 0; b < x.length; b++) {
            System.arraycopy(x[b], 0, flat, b * x[0].length, x[0].length);
        }
        return m.create(flat, new Shape(x.length, x[0].length));
    }

    @Test
    void theAdaptiveControllerFollowsUpstreamsCalls() {
        JsonNode k = root.get("kl_controllers");
        AdaptiveKlController kl = new AdaptiveKlController(TrlxTest.with("adaptive-kl", "init-kl-coef = "
                + k.get("init_kl_coef").asDouble() + ", target = " + k.get("target").asDouble() + ", horizon = "
                + k.get("horizon").asDouble()));
        for (JsonNode step : k.get("steps")) {
            // The engine's call after each rollout: rollout-batch, ppo.epochs, ppo.minibatch.
            kl.update(step.get("mean_kl").asDouble(), k.get("num_rollouts").asInt(), k.get("ppo_epochs").asInt(),
                    k.get("batch_size").asInt());
            assertEquals(step.get("adaptive").asDouble(), kl.coefficient(), 1e-12, "after KL " + step.get("mean_kl"));
        }
    }

    @Test
    void theFixedControllerIsTrlxsDefault() {
        // TrlX's default (target None) is FixedKLController(init_kl_coef = 0.001): the system defaults choose it.
        JsonNode k = root.get("kl_controllers");
        Config sd = TrlxTest.defaults("token-level").getConfig("system-defaults");
        assertEquals("fixed", sd.getString("ppo.kl-controller"));
        for (JsonNode step : k.get("steps")) {
            assertEquals(step.get("fixed").asDouble(), sd.getDouble("fixed.coefficient"), 0);
        }
        assertEquals(k.get("fixed_init_kl_coef").asDouble(), TrlxTest.defaults("adaptive-kl").getDouble("init-kl-coef"), 0);
    }
}
