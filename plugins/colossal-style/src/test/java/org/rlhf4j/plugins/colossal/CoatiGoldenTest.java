package org.rlhf4j.plugins.colossal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.Experience;
import org.rlhf4j.api.ppo.LossSettings;
import org.rlhf4j.api.ppo.PpoLosses;
import org.rlhf4j.api.ppo.PpoMath;
import org.rlhf4j.api.reward.PairBatch;
import org.rlhf4j.api.reward.PolicyPairBatch;
import org.rlhf4j.api.reward.PreferenceLoss;

/**
 * Golden test against Coati itself: {@code golden/coati.json} holds seeded inputs and the outputs of ColossalAI's Coati
 * v1 (7b9b86441, applications/Chat/coati) and v2 (4f9953be3, applications/ColossalChat/coati), computed by
 * {@code golden/make_coati_golden.py}, which names every function and line range it re-types.
 *
 * <p>Mapping of shapes. PPO: Coati's (B, num_actions) log-probs, values and action mask are our {@link Experience}'s
 * (B, T) as they are (Coati's action mask is a prefix of the answer columns, as ours is for one turn); v1's one value
 * per sequence (B) is what the engine writes on every answer token ({@code valuePerSequence}), so our arrays hold
 * it broadcast over the mask. Preference: Coati's per-token log-probs {@code log_probs[:, j]} predict token j + 1 and
 * its loss mask is {@code loss_mask[:, 1:]}, which is our preference stage's layout; the sums and lengths of our
 * {@link PolicyPairBatch} are taken from them here as the stage takes them.
 *
 * <p>Tolerances: schedules 1e-6 absolute (float32 arrays from float64 upstream math); losses 1e-6 relative,
 * |ours - upstream| &lt;= 1e-6 max(1, |upstream|), as they are float32 scalars.
 */
class CoatiGoldenTest {

    static final double TOL = 1e-6;

    static JsonNode settings;
    static JsonNode in;
    static JsonNode out;
    static JsonNode prefIn;
    static JsonNode prefOut;

    @BeforeAll
    static void read() throws IOException {
        try (InputStream s = CoatiGoldenTest.class.getResourceAsStream("/golden/coati.json")) {
            JsonNode root = new ObjectMapper().readTree(s);
            settings = root.get("settings");
            in = root.get("ppo").get("inputs");
            out = root.get("ppo").get("outputs");
            prefIn = root.get("preference").get("inputs");
            prefOut = root.get("preference").get("outputs");
        }
    }

    static Config defaults(String name) {
        return ConfigFactory.parseResources(CoatiGoldenTest.class.getClassLoader(), "reference.conf").getConfig("colossal." + name);
    }

    static void assertLoss(double upstream, double ours, String what) {
        assertEquals(upstream, ours, TOL * Math.max(1, Math.abs(upstream)), what);
    }

    static float[][] rows(JsonNode n) {
        float[][] x = new float[n.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = row(n.get(i));
        }
        return x;
    }

    static float[] row(JsonNode n) {
        float[] x = new float[n.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) n.get(i).asDouble();
        }
        return x;
    }

    /** One number per sequence on each of its answer positions: (B) -> (B, T). */
    static float[][] broadcast(float[] perSequence, float[][] mask) {
        float[][] x = new float[mask.length][mask[0].length];
        for (int b = 0; b < x.length; b++) {
            for (int t = 0; t < x[b].length; t++) {
                x[b][t] = perSequence[b] * mask[b][t];
            }
        }
        return x;
    }

    static float[][] mask() {
        return rows(in.get("mask"));
    }

    static Experience v1Experience() {
        return new Experience(rows(in.get("log_probs")), rows(in.get("ref_log_probs")),
                broadcast(row(in.get("v1_value")), mask()), row(in.get("scores")), null, mask());
    }

    static Experience v2Experience() {
        return new Experience(rows(in.get("log_probs")), rows(in.get("ref_log_probs")), rows(in.get("v2_value")),
                row(in.get("scores")), null, mask());
    }

    static double klCoef() {
        return in.get("kl_coef").asDouble();
    }

    // ---------------- Coati v1 ----------------

    @Test
    void v1KlIsComputeApproxKl() {
        float[][] m = mask();
        double[] ours = PpoMath.coatiSequenceKl(rows(in.get("log_probs")), rows(in.get("ref_log_probs")), m);
        for (int b = 0; b < ours.length; b++) {
            assertEquals(out.get("v1_kl").get(b).asDouble(), ours[b], TOL, "kl of row " + b);
        }
        assertEquals(Math.exp(-3) + 2, ours[3], TOL, "row 3, 3 nats per token: 2.05, not TrlX's 16.1");
    }

    @Test
    void v1ScheduleIsComputeRewardMinusTheSequencesValue() {
        float[][] m = mask();
        Advantages a = new SequenceLevelScheduler(defaults("sequence-level")).schedule(v1Experience(), klCoef());
        Advantages noKl = new SequenceLevelScheduler(defaults("sequence-level")).schedule(v1Experience(), 0);
        float[] value = row(in.get("v1_value"));
        for (int b = 0; b < m.length; b++) {
            double reward = out.get("v1_reward").get(b).asDouble();
            for (int t = 0; t < m[b].length; t++) {
                double on = m[b][t];
                assertEquals(on * out.get("v1_advantage").get(b).asDouble(), a.advantages()[b][t], TOL, "A[" + b + "][" + t + "]");
                assertEquals(on * reward, a.returns()[b][t], TOL, "returns[" + b + "][" + t + "]");
                assertEquals(on * (out.get("v1_reward_no_kl").get(b).asDouble() - value[b]), noKl.advantages()[b][t], TOL,
                        "kl_coef 0: compute_reward returns r");
            }
            assertEquals(reward, a.rewards()[b][PpoMath.lastIndex(m[b])], TOL, "the reward at the last answer token");
        }
    }

    @Test
    void v1PolicyLossHasNoClampAndAveragesPerSequence() {
        LossSettings v1 = new SequenceLevelScheduler(defaults("sequence-level")).losses();
        Advantages a = new SequenceLevelScheduler(defaults("sequence-level")).schedule(v1Experience(), klCoef());
        try (NDManager nd = NDManager.newBaseManager()) {
            PpoLosses.PolicyLoss pl = PpoLosses.policy(nd.create(rows(in.get("new_log_probs"))), nd.create(rows(in.get("log_probs"))),
                    nd.create(a.advantages()), nd.create(mask()), v1);
            assertLoss(out.get("v1_policy_loss").asDouble(), pl.loss().getFloat(), "v1 PolicyLoss (ratio e^3.5 unclamped)");
            assertEquals(false, pl.skip(), "v1 never skips");
        }
    }

    @Test
    void v1ValueLossIsTheMeanOverSequencesClippedAtPointFour() {
        LossSettings v1 = new SequenceLevelScheduler(defaults("sequence-level")).losses();
        float[][] m = mask();
        float[] reward = row(out.get("v1_reward"));
        try (NDManager nd = NDManager.newBaseManager()) {
            PpoLosses.ValueLoss vl = PpoLosses.value(nd.create(broadcast(row(in.get("v1_new_value")), m)),
                    nd.create(broadcast(row(in.get("v1_value")), m)), nd.create(broadcast(reward, m)), nd.create(m), v1);
            assertLoss(out.get("v1_value_loss").asDouble(), vl.loss().getFloat(), "v1 ValueLoss");
        }
    }

    // ---------------- Coati v2 ----------------

    @Test
    void v2ScheduleIsComputeRewardThenCalculateAdvantage() {
        Advantages a = new TokenLevelScheduler(defaults("token-level")).schedule(v2Experience(), klCoef());
        float[][] m = mask();
        for (int b = 0; b < m.length; b++) {
            for (int t = 0; t < m[b].length; t++) {
                assertEquals(out.get("v2_reward").get(b).get(t).asDouble(), a.rewards()[b][t], TOL, "r[" + b + "][" + t + "]");
                assertEquals(out.get("v2_advantage").get(b).get(t).asDouble(), a.advantages()[b][t], TOL, "A[" + b + "][" + t + "]");
            }
        }
    }

    @Test
    void v2PolicyLossClampsAndAveragesPerSequence() {
        TokenLevelScheduler s = new TokenLevelScheduler(defaults("token-level"));
        Advantages a = s.schedule(v2Experience(), klCoef());
        try (NDManager nd = NDManager.newBaseManager()) {
            PpoLosses.PolicyLoss pl = PpoLosses.policy(nd.create(rows(in.get("new_log_probs"))), nd.create(rows(in.get("log_probs"))),
                    nd.create(a.advantages()), nd.create(mask()), s.losses());
            assertLoss(out.get("v2_policy_loss").asDouble(), pl.loss().getFloat(), "v2 PolicyLoss (ratio e^3.5 clamped to 10)");
            assertEquals(out.get("v2_skip").asBoolean(), pl.skip());
        }
    }

    @Test
    void v2SkipsOnTheUnmaskedMeanRatio() {
        TokenLevelScheduler s = new TokenLevelScheduler(defaults("token-level"));
        float[][] adv = rows(out.get("v2_advantage"));
        float[][] old = rows(in.get("log_probs"));
        for (JsonNode c : out.get("v2_skips")) {
            float[][] wild = rows(in.get("new_log_probs"));
            wild[1][0] = (float) (old[1][0] + c.get("bump").asDouble());
            try (NDManager nd = NDManager.newBaseManager()) {
                PpoLosses.PolicyLoss pl = PpoLosses.policy(nd.create(wild), nd.create(old), nd.create(adv), nd.create(mask()), s.losses());
                String what = "ratio e^" + c.get("bump") + ", unmasked mean " + c.get("unmasked_mean") + ", masked " + c.get("masked_mean");
                assertEquals(c.get("skip").asBoolean(), pl.skip(), what);
                assertLoss(c.get("loss").asDouble(), pl.loss().getFloat(), what);
            }
        }
    }

    @Test
    void v2ValueLossIsTheTokenMeanClippedAtPointTwo() {
        TokenLevelScheduler s = new TokenLevelScheduler(defaults("token-level"));
        Advantages a = s.schedule(v2Experience(), klCoef());
        try (NDManager nd = NDManager.newBaseManager()) {
            PpoLosses.ValueLoss vl = PpoLosses.value(nd.create(rows(in.get("v2_new_value"))), nd.create(rows(in.get("v2_value"))),
                    nd.create(a.returns()), nd.create(mask()), s.valueLosses());
            assertLoss(out.get("v2_value_loss").asDouble(), vl.loss().getFloat(), "v2 ValueLoss");
        }
    }

    // ---------------- preference losses (v2) ----------------

    /** The batch our preference stage builds from per-token log-probabilities and masks. */
    static PolicyPairBatch pairBatch(NDManager nd, boolean reference) {
        NDArray cm = nd.create(rows(prefIn.get("chosen_mask")));
        NDArray rm = nd.create(rows(prefIn.get("rejected_mask")));
        NDArray pm = nd.create(rows(prefIn.get("prompt_mask")));
        NDArray c = nd.create(rows(prefIn.get("actor_chosen")));
        NDArray r = nd.create(rows(prefIn.get("actor_rejected")));
        int[] axis = {1};
        NDArray ct = c.mul(cm);
        NDArray rt = r.mul(rm);
        return new PolicyPairBatch(ct.sum(axis), rt.sum(axis), cm.sum(axis), rm.sum(axis),
                reference ? nd.create(rows(prefIn.get("ref_chosen"))).mul(cm).sum(axis) : null,
                reference ? nd.create(rows(prefIn.get("ref_rejected"))).mul(rm).sum(axis) : null,
                ct, cm, rt, rm, c.mul(pm).sum(axis), pm.sum(axis));
    }

    static void assertRewards(JsonNode upstream, NDArray ours, String what) {
        float[] o = ours.toFloatArray();
        for (int i = 0; i < o.length; i++) {
            assertEquals(upstream.get(i).asDouble(), o[i], TOL, what + "[" + i + "]");
        }
    }

    @Test
    void dpoIsCoatisDpoLoss() {
        DpoLoss dpo = new DpoLoss(defaults("dpo"));
        try (NDManager nd = NDManager.newBaseManager()) {
            PolicyPairBatch b = pairBatch(nd, true);
            assertLoss(prefOut.get("dpo").get("loss").asDouble(), dpo.loss(b).getFloat(), "DPO loss");
            assertRewards(prefOut.get("dpo").get("chosen_rewards"),
                    dpo.reward(b.chosenLogProbs(), b.chosenLengths(), b.referenceChosenLogProbs()), "chosen reward");
            assertRewards(prefOut.get("dpo").get("rejected_rewards"),
                    dpo.reward(b.rejectedLogProbs(), b.rejectedLengths(), b.referenceRejectedLogProbs()), "rejected reward");
        }
    }

    @Test
    void simpoIsDpoLossOnLengthNormalisedLogProbsWithTheReference() {
        SimPoLoss simpo = new SimPoLoss(defaults("simpo"));
        try (NDManager nd = NDManager.newBaseManager()) {
            PolicyPairBatch b = pairBatch(nd, simpo.needsReference());
            assertLoss(prefOut.get("simpo").get("loss").asDouble(), simpo.loss(b).getFloat(), "SimPO loss");
            assertRewards(prefOut.get("simpo").get("chosen_rewards"),
                    simpo.reward(b.chosenLogProbs(), b.chosenLengths(), b.referenceChosenLogProbs()), "chosen reward");
            assertRewards(prefOut.get("simpo").get("rejected_rewards"),
                    simpo.reward(b.rejectedLogProbs(), b.rejectedLengths(), b.referenceRejectedLogProbs()), "rejected reward");
        }
    }

    @Test
    void simpoWithoutTheReferenceIsDisableReferenceModel() {
        SimPoLoss simpo = new SimPoLoss(ConfigFactory.parseString("reference = false").withFallback(defaults("simpo")));
        try (NDManager nd = NDManager.newBaseManager()) {
            PolicyPairBatch b = pairBatch(nd, false);
            assertLoss(prefOut.get("simpo_no_reference").get("loss").asDouble(), simpo.loss(b).getFloat(), "SimPO loss");
            assertRewards(prefOut.get("simpo_no_reference").get("chosen_rewards"),
                    simpo.reward(b.chosenLogProbs(), b.chosenLengths(), null), "chosen reward");
        }
    }

    @Test
    void orpoIsTheChosenNllMinusLambdaTimesThePooledOddsRatioTerm() {
        OrpoLoss orpo = new OrpoLoss(defaults("orpo"));
        JsonNode o = prefOut.get("orpo");
        try (NDManager nd = NDManager.newBaseManager()) {
            PolicyPairBatch b = pairBatch(nd, false);
            assertLoss(o.get("chosen_nll").asDouble(), b.chosenSequenceNll().getFloat(), "the chosen ids' LM loss");
            NDArray lor = OrpoLoss.pooledLogOdds(b.chosenTokenLogProbs(), b.chosenTokenMask())
                    .sub(OrpoLoss.pooledLogOdds(b.rejectedTokenLogProbs(), b.rejectedTokenMask()));
            assertLoss(o.get("log_odds_ratio").asDouble(), lor.getFloat(), "OddsRatioLoss log_odds_ratio");
            double ours = orpo.loss(b).getFloat();
            assertLoss(o.get("loss_float32_ratio").asDouble(), ours, "ORPO loss");
            // Upstream rounds log sigmoid(ratio) to bfloat16 (loss.py line 216): 3 significant digits of a 0.1 x 0.31 term.
            assertEquals(o.get("loss_upstream").asDouble(), ours, 1e-4, "within the bfloat16 rounding of upstream's term");
        }
    }

    // ---------------- reward-model losses (v1 and v2) ----------------

    /** Last-token scores: values (P, 3) with the score at the last real token, some rows padded. */
    static PairBatch scored(NDManager nd) {
        float[] c = row(prefIn.get("chosen_reward"));
        float[] r = row(prefIn.get("reject_reward"));
        float[][] cv = new float[c.length][3];
        float[][] rv = new float[c.length][3];
        float[][] cm = new float[c.length][3];
        float[][] rmask = new float[c.length][3];
        for (int i = 0; i < c.length; i++) {
            int lastC = i % 3;
            int lastR = 2 - i % 3;
            for (int t = 0; t < 3; t++) {
                cm[i][t] = t <= lastC ? 1 : 0;
                rmask[i][t] = t <= lastR ? 1 : 0;
                cv[i][t] = t == lastC ? c[i] : 9f;    // other positions must not be read
                rv[i][t] = t == lastR ? r[i] : -9f;
            }
        }
        return new PairBatch(null, null, nd.create(cv), nd.create(rv), nd.create(cm), nd.create(rmask), null, null);
    }

    @Test
    void logSigAndLogExpAreCoatisRewardLosses() {
        try (NDManager nd = NDManager.newBaseManager()) {
            PairBatch b = scored(nd);
            PreferenceLoss sig = new LogSigLoss();
            PreferenceLoss exp = new LogExpLoss();
            assertLoss(prefOut.get("log_sig_v1").asDouble(), sig.loss(b).getFloat(), "v1 LogSigLoss");
            assertLoss(prefOut.get("log_sig_v2").asDouble(), sig.loss(b).getFloat(), "v2 LogSigLoss");
            assertLoss(prefOut.get("log_exp_v1").asDouble(), exp.loss(b).getFloat(), "v1 LogExpLoss");
            assertLoss(prefOut.get("log_exp_v2").asDouble(), exp.loss(b).getFloat(), "v2 LogExpLoss");
        }
    }

    @Test
    void theFixtureUsesThisPluginsDefaults() {
        Config v1 = defaults("sequence-level");
        Config v2 = defaults("token-level");
        assertEquals(settings.get("v1").get("eps_clip").asDouble(), v1.getDouble("clip-eps"), 0);
        assertEquals(settings.get("v1").get("value_clip").asDouble(), v1.getDouble("value-clip"), 0);
        assertEquals(settings.get("v1").get("kl_coef").asDouble(), v1.getDouble("system-defaults.fixed.coefficient"), 0);
        assertEquals(settings.get("v2").get("eps_clip").asDouble(), v2.getDouble("clip-eps"), 0);
        assertEquals(settings.get("v2").get("skip_threshold").asDouble(), v2.getDouble("skip-ratio-above"), 0);
        assertEquals(settings.get("v2").get("ratio_max").asDouble(), v2.getDouble("ratio-max"), 0);
        assertEquals(settings.get("v2").get("value_clip").asDouble(), v2.getDouble("value-clip"), 0);
        assertEquals(settings.get("v2").get("reward_eps").asDouble(), v2.getDouble("clip-reward"), 0);
        assertEquals(settings.get("v2").get("gamma").asDouble(), v2.getDouble("gamma"), 0);
        assertEquals(settings.get("v2").get("lam").asDouble(), v2.getDouble("lambda"), 0);
        assertEquals(settings.get("v2").get("kl_coef").asDouble(), v2.getDouble("system-defaults.fixed.coefficient"), 0);
        assertEquals(settings.get("dpo").get("beta").asDouble(), defaults("dpo").getDouble("beta"), 0);
        assertEquals(settings.get("simpo").get("beta").asDouble(), defaults("simpo").getDouble("beta"), 0);
        assertEquals(settings.get("simpo").get("gamma").asDouble(), defaults("simpo").getDouble("gamma"), 0);
        assertEquals(settings.get("orpo").get("lam").asDouble(), defaults("orpo").getDouble("lambda"), 0);
        assertEquals(klCoef(), settings.get("v2").get("kl_coef").asDouble(), 0, "the coefficient these tests pass");
    }
}
