package org.rlhf4j.host.reward;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.model.HfCheckpoint;

/**
 * Independent copies of a model's weights: a frozen reference for PPO, or a scored model - the same trunk
 * with a scalar head (GPT-2's GPT2ForSequenceClassification layout, {@code score.weight} of shape (1, C)) -
 * as DeepSpeed-Chat builds its reward model from the SFT model and its critic from the reward model.
 */
public final class ModelCopies {

    private ModelCopies() {
    }

    /** A copy of {@code base} on its device, head and all. */
    public static Gpt copy(Gpt base) {
        return Gpt.withWeights(base.config(), base.device(), weights(base));
    }

    /** A copy of {@code base} with a score head: its own if it has one, else a fresh one drawn from {@code seed}. */
    public static Gpt withScoreHead(Gpt base, long seed) {
        Map<String, float[]> weights = weights(base);
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

    /**
     * A copy of {@code base} with TrlX's MLP value head (make_head: Linear(C, 2C) -> ReLU -> Linear(2C, 1), CarperAI/trlx
     * 3340c2f trlx/utils/modeling.py:13-19), fresh, initialised as torch's nn.Linear does: weights and biases
     * U(-1/sqrt(fan_in), 1/sqrt(fan_in)), drawn from {@code seed}. Any head {@code base} has is dropped.
     */
    public static Gpt withMlpScoreHead(Gpt base, long seed) {
        Map<String, float[]> weights = weights(base);
        weights.keySet().removeIf(Gpt::isScoreHead);
        int c = base.config().width();
        SplittableRandom rng = new SplittableRandom(seed);
        weights.put("score.0.weight", uniform(rng, 2 * c * c, c));
        weights.put("score.0.bias", uniform(rng, 2 * c, c));
        weights.put("score.2.weight", uniform(rng, 2 * c, 2 * c));
        weights.put("score.2.bias", uniform(rng, 1, 2 * c));
        return Gpt.withWeights(base.config().withMlpScoreHead(true), base.device(), weights);
    }

    /** n values U(-1/sqrt(fanIn), 1/sqrt(fanIn)), nn.Linear's default initialisation of weights and biases. */
    private static float[] uniform(SplittableRandom rng, int n, int fanIn) {
        double bound = 1 / Math.sqrt(fanIn);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextDouble(-bound, bound);
        }
        return v;
    }

    /**
     * {@code base}'s language model alone - the trunk and tied head, any adapters merged in - without a score
     * head (TrlX's value head on the policy's trunk belongs to PPO, not to the policy's checkpoint).
     */
    public static Gpt withoutScoreHead(Gpt base) {
        Map<String, float[]> weights = HfCheckpoint.exportWeights(base);
        weights.keySet().removeIf(Gpt::isScoreHead);
        return Gpt.withWeights(base.config().withBias(true).withScoreHead(false), base.device(), weights);
    }

    private static Map<String, float[]> weights(Gpt base) {
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : base.parameters().entrySet()) {
            weights.put(e.getKey(), e.getValue().toFloatArray());
        }
        return weights;
    }
}
