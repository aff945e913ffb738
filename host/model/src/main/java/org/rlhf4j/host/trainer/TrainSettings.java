package org.rlhf4j.host.trainer;

import com.typesafe.config.Config;
import org.rlhf4j.api.ConfigProblem;

/**
 * The optimisation keys that {@code pretrain} and {@code sft} share (each block holds its own copy).
 *
 * @param steps optimizer steps
 * @param batchSize sequences per micro-batch
 * @param accumulation micro-batches per optimizer step (gradient accumulation)
 * @param learningRate peak learning rate, reached after the warm-up
 * @param minLearningRate the floor the cosine decays to at the last step
 * @param warmupSteps linear warm-up steps
 * @param evalInterval steps between validation losses (and at the last step)
 * @param evalBatches validation micro-batches per evaluation
 * @param checkpointInterval steps between resume checkpoints; 0 for none
 */
public record TrainSettings(int steps, int batchSize, int accumulation, double learningRate, double minLearningRate,
                            int warmupSteps, AdamW.Hyper optimizer, double gradClip, int evalInterval,
                            int evalBatches, int checkpointInterval) {

    /** Reads and checks the keys of a training block. */
    public static TrainSettings from(Config c) {
        TrainSettings s = new TrainSettings(c.getInt("steps"), c.getInt("batch-size"), c.getInt("accumulation"),
                c.getDouble("learning-rate"), c.getDouble("min-learning-rate"), c.getInt("warmup-steps"),
                new AdamW.Hyper(c.getDouble("beta1"), c.getDouble("beta2"), c.getDouble("eps"), c.getDouble("weight-decay")),
                c.getDouble("grad-clip"), c.getInt("eval-interval"), c.getInt("eval-batches"), c.getInt("checkpoint-interval"));
        positive(c, "steps", s.steps);
        positive(c, "batch-size", s.batchSize);
        positive(c, "accumulation", s.accumulation);
        positive(c, "eval-interval", s.evalInterval);
        positive(c, "eval-batches", s.evalBatches);
        if (s.learningRate <= 0 || s.minLearningRate < 0 || s.minLearningRate > s.learningRate) {
            throw new ConfigProblem(c, "min-learning-rate", "need 0 <= min-learning-rate <= learning-rate and learning-rate > 0");
        }
        if (s.warmupSteps < 0 || s.checkpointInterval < 0 || s.gradClip < 0) {
            throw new ConfigProblem(c, "warmup-steps", "warmup-steps, checkpoint-interval and grad-clip must not be negative");
        }
        if (s.optimizer.beta1() < 0 || s.optimizer.beta1() >= 1 || s.optimizer.beta2() < 0 || s.optimizer.beta2() >= 1) {
            throw new ConfigProblem(c, "beta2", "beta1 and beta2 must be in [0, 1)");
        }
        return s;
    }

    private static void positive(Config c, String key, int v) {
        if (v < 1) {
            throw new ConfigProblem(c, key, "must be at least 1, got " + v);
        }
    }

    /**
     * nanoGPT's schedule: linear warm-up to the peak over {@code warmupSteps}, then a cosine down to the
     * floor at the last step. {@code step} counts from 0.
     */
    public double learningRate(int step) {
        if (step < warmupSteps) {
            return learningRate * (step + 1) / (warmupSteps + 1);
        }
        if (steps <= warmupSteps + 1) {
            return learningRate;
        }
        double ratio = Math.min(1.0, (double) (step - warmupSteps) / (steps - 1 - warmupSteps));
        return minLearningRate + 0.5 * (1 + Math.cos(Math.PI * ratio)) * (learningRate - minLearningRate);
    }
}
