package org.rlhf4j.host.reward;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.rlhf4j.host.model.Gpt;

/**
 * A scored copy of a language model: the same trunk with a fresh scalar head (GPT-2's
 * GPT2ForSequenceClassification layout, {@code score.weight} of shape (1, C)), as DeepSpeed-Chat builds
 * its reward model from the SFT model and its critic from the reward model.
 */
public final class ScoreHead {

    private ScoreHead() {
    }

    /** A new model on {@code base}'s device with {@code base}'s weights and a score head; keeps an existing head. */
    public static Gpt attach(Gpt base, long seed) {
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : base.parameters().entrySet()) {
            weights.put(e.getKey(), e.getValue().toFloatArray());
        }
        if (!weights.containsKey("score.weight")) {
            int width = base.config().width();
            float[] head = new float[width];
            SplittableRandom rng = new SplittableRandom(seed);
            for (int i = 0; i < width; i++) {
                head[i] = (float) (rng.nextGaussian() * base.config().initStd());
            }
            weights.put("score.weight", head);
        }
        return Gpt.withWeights(base.config().withScoreHead(true), base.device(), weights);
    }
}
