package org.rlhf4j.plugins.deepspeed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.reward.PairBatch;

/**
 * Golden test against DeepSpeed-Chat's step-2 loss itself: {@code golden/dschat_reward.json} holds seeded per-token
 * rewards, right-padded ids (pad id 0) and the loss and end scores of RewardModel.forward (DeepSpeedExamples 83757d9c,
 * dschat/utils/model/reward_model.py lines 66-120), computed by {@code golden/make_dschat_reward_golden.py}. The pairs
 * cover an earlier divergence, a divergence where the chosen answer has already ended, identical sequences and a
 * chosen sequence that fills the row.
 */
class DsChatRewardGoldenTest {

    @Test
    void theLossAndTheEndScoresMatchUpstream() throws Exception {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/golden/dschat_reward.json")) {
            root = new ObjectMapper().readTree(in);
        }
        JsonNode in = root.get("inputs");
        JsonNode out = root.get("outputs");
        int pad = in.get("pad_id").asInt();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray chosenIds = m.create(longs(in.get("chosen_ids")));
            NDArray rejectedIds = m.create(longs(in.get("rejected_ids")));
            NDArray chosenMask = m.create(mask(in.get("chosen_ids"), pad));
            NDArray rejectedMask = m.create(mask(in.get("rejected_ids"), pad));
            NDArray chosenValues = m.create(DsChatGoldenTest.slice(in.get("chosen_rewards"), 0));
            NDArray rejectedValues = m.create(DsChatGoldenTest.slice(in.get("rejected_rewards"), 0));
            DivergenceTokenLoss loss = new DivergenceTokenLoss();
            PairBatch b = new PairBatch(chosenIds, rejectedIds, chosenValues, rejectedValues, chosenMask, rejectedMask, null, null);
            double upstream = out.get("loss").asDouble();
            assertEquals(upstream, loss.loss(b).getFloat(), 1e-6 * Math.max(1, Math.abs(upstream)), "loss");
            assertArrayEquals(floats1(out.get("chosen_mean_scores")), loss.score(chosenValues, chosenMask).toFloatArray(), 1e-6f);
            assertArrayEquals(floats1(out.get("rejected_mean_scores")), loss.score(rejectedValues, rejectedMask).toFloatArray(), 1e-6f);
        }
    }

    private static long[][] longs(JsonNode rows) {
        long[][] x = new long[rows.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = new long[rows.get(i).size()];
            for (int t = 0; t < x[i].length; t++) {
                x[i][t] = rows.get(i).get(t).asLong();
            }
        }
        return x;
    }

    /** 1 up to a row's first pad id (upstream's c_ind), 0 from there. */
    private static float[][] mask(JsonNode rows, int pad) {
        float[][] x = new float[rows.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = new float[rows.get(i).size()];
            for (int t = 0; t < x[i].length && rows.get(i).get(t).asInt() != pad; t++) {
                x[i][t] = 1f;
            }
        }
        return x;
    }

    private static float[] floats1(JsonNode row) {
        float[] x = new float[row.size()];
        for (int t = 0; t < x.length; t++) {
            x[t] = (float) row.get(t).asDouble();
        }
        return x;
    }
}
