package org.rlhf4j.host.trainer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rlhf4j.api.MetricsSink;
import org.rlhf4j.api.stage.Progress;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.model.Gpt;

/**
 * The training loop of pretraining and SFT: micro-batches with gradient accumulation, global-norm clipping,
 * AdamW under a warm-up + cosine schedule, validation loss, resume checkpoints, metrics per step, and a
 * stop naming stage and step as soon as the loss or the gradient norm is not finite.
 *
 * <p>Every step runs in its own NDManager, closed at the end of the step, so nothing piles up. Randomness is
 * replayable: step {@code s} draws its batches (and seeds dropout) from a stream derived from the seed and
 * {@code s}, so the step counter in a checkpoint is the whole random state and a resumed run takes exactly
 * the steps the killed one would have taken.
 */
public final class Trainer {

    /** How a run ended. */
    public record Result(int steps, double trainLoss, double validationLoss, double tokensPerSecond) {
    }

    private final Gpt model;
    private final TrainSettings settings;
    private final String stage;
    private final MetricsSink metrics;
    private final long seed;

    public Trainer(Gpt model, TrainSettings settings, String stage, MetricsSink metrics, long seed) {
        this.model = model;
        this.settings = settings;
        this.stage = stage;
        this.metrics = metrics;
        this.seed = seed;
    }

    /**
     * Trains for {@code settings.steps()} steps, continuing from {@code resume} when it holds a checkpoint.
     *
     * @param resume the folder for resume checkpoints, or null for none
     * @param progress a progress display, or null
     */
    public Result fit(Batches train, List<Batch> validation, Path resume, Progress progress) throws IOException {
        try (AdamW optimizer = new AdamW(model.trainable(), settings.optimizer(), model.manager())) {
            int start = resume == null ? 0 : ResumeCheckpoint.restore(resume, model, optimizer);
            if (progress != null && start > 0) {
                progress.step(start);
            }
            double loss = Double.NaN;
            double valLoss = Double.NaN;
            long tokens = 0;
            long nanos = 0;
            for (int step = start; step < settings.steps(); step++) {
                long t0 = System.nanoTime();
                double lr = settings.learningRate(step);
                float norm;
                long stepTokens = 0;
                try (NDManager scope = model.manager().newSubManager()) {
                    SplittableRandom rng = new SplittableRandom(streamSeed(seed, step));
                    if (model.config().dropout() > 0) {
                        Engine.getInstance().setRandomSeed((int) streamSeed(seed, -1 - step));
                    }
                    loss = 0;
                    for (int micro = 0; micro < settings.accumulation(); micro++) {
                        Batch batch = train.next(rng);
                        loss += backward(batch, scope) / settings.accumulation();
                        stepTokens += (long) batch.rows() * batch.length();
                    }
                    List<NDArray> grads = optimizer.gradients(scope);
                    norm = AdamW.globalNorm(grads);
                    if (!Double.isFinite(loss) || !Float.isFinite(norm)) {
                        throw new StageFailure("stage " + stage + ": the loss became " + (Double.isFinite(loss) ? "finite but the gradient norm " + norm : String.valueOf(loss))
                                + " at step " + (step + 1) + " (learning rate " + String.format("%.3g", lr)
                                + "); lower learning-rate or check the data. Checkpoints before this step are kept.");
                    }
                    AdamW.clip(grads, norm, settings.gradClip());
                    optimizer.update(grads, lr);
                }
                long dt = System.nanoTime() - t0;
                tokens += stepTokens;
                nanos += dt;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("loss", loss);
                m.put("lr", lr);
                m.put("grad-norm", norm);
                m.put("tokens-per-second", stepTokens / (dt / 1e9));
                boolean last = step + 1 == settings.steps();
                if ((step + 1) % settings.evalInterval() == 0 || last) {
                    valLoss = validationLoss(validation);
                    m.put("val-loss", valLoss);
                }
                metrics.log(stage, step + 1, m);
                if (progress != null) {
                    progress.step(1);
                    progress.status(String.format("loss %.3f%s", loss, Double.isNaN(valLoss) ? "" : String.format(" val %.3f", valLoss)));
                }
                if (resume != null && settings.checkpointInterval() > 0 && !last && (step + 1) % settings.checkpointInterval() == 0) {
                    ResumeCheckpoint.save(resume, model, optimizer, step + 1, seed);
                }
            }
            return new Result(settings.steps(), loss, valLoss, nanos == 0 ? 0 : tokens / (nanos / 1e9));
        }
    }

    /** Forward and backward of one micro-batch; returns its loss. Gradients add up in the parameters. */
    private double backward(Batch batch, NDManager scope) {
        try (NDManager m = scope.newSubManager();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = model.logits(model.hidden(batch.inputs(m), null, null, true));          // (B, T, V)
            NDArray loss = LanguageModelLoss.crossEntropy(logits, batch.targets(m), batch.lossMask(m));
            // a tensor, not div(Number): autograd must keep the scalar alive (docs/pitfalls.md, DJL)
            NDArray share = m.create(1f / settings.accumulation());
            collector.backward(settings.accumulation() == 1 ? loss : loss.mul(share));
            return loss.getFloat();
        }
    }

    /** The mean loss per counted token over {@code batches}, in inference mode. NaN when there are none. */
    public double validationLoss(List<Batch> batches) {
        return validationLoss(model, batches);
    }

    /** As {@link #validationLoss(List)}, for any model (SFT measures its starting point with it). */
    public static double validationLoss(Gpt model, List<Batch> batches) {
        double sum = 0;
        long count = 0;
        for (Batch b : batches) {
            try (NDManager m = model.manager().newSubManager()) {
                NDArray logits = model.logits(model.hidden(b.inputs(m), null, null, false));
                long n = b.countedTokens();
                sum += LanguageModelLoss.crossEntropy(logits, b.targets(m), b.lossMask(m)).getFloat() * n;
                count += n;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /** A well-mixed seed for one step's random stream (splitmix64's finaliser). */
    static long streamSeed(long seed, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + step + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
