package org.rlhf4j.host.ppo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.LossSettings;
import org.rlhf4j.api.ppo.PpoLosses;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.model.HfCheckpoint;
import org.rlhf4j.host.model.tokenizer.Tokenizer;
import org.rlhf4j.host.reward.ModelCopies;
import org.rlhf4j.host.trainer.AdamW;
import org.rlhf4j.host.trainer.Batch;
import org.rlhf4j.host.trainer.Batches;
import org.rlhf4j.host.trainer.LanguageModelLoss;

/**
 * Phase 5 and 6 of a PPO step: epochs over shuffled minibatches of one rollout, each a clipped policy step
 * on the actor and a clipped value step on each critic, with global-norm clipping; PTX mixed into the
 * policy loss (Coati) or taken as its own step (DeepSpeed-Chat); then the EMA of the actor.
 *
 * <p>Optimizers and the EMA cover what trains ({@link Gpt#trainable}): with LoRA only the adapters (and a value
 * head), so frozen weights have neither gradients nor moments. The EMA then averages the adapter factors, as
 * DeepSpeed-Chat's EMA copy of a LoRA actor does (its checkpoint fuses them into the frozen base), and costs the
 * adapters' size instead of the model's. It is not exactly the EMA of the merged weights: the average of the
 * product B A is not the product of the averages of B and A.
 */
final class PpoUpdate implements AutoCloseable {

    private final PpoModels models;
    private final PpoSettings settings;
    private final LossSettings losses;
    private final AdamW actorOptimizer;
    private final AdamW criticOptimizer;
    private final AdamW costOptimizer;
    private final Map<String, NDArray> ema;
    private final double actorLr;
    private final double criticLr;

    PpoUpdate(PpoModels models, PpoSettings settings, LossSettings losses) {
        this.models = models;
        this.settings = settings;
        this.losses = losses;
        this.actorOptimizer = new AdamW(models.actor().trainable(), settings.optimizer(), models.actor().manager());
        this.criticOptimizer = models.sharedTrunk() ? null
                : new AdamW(models.critic().trainable(), settings.optimizer(), models.critic().manager());
        this.costOptimizer = models.costCritic() == null ? null
                : new AdamW(models.costCritic().trainable(), settings.optimizer(), models.costCritic().manager());
        this.ema = settings.emaBeta() > 0 ? new LinkedHashMap<>() : null;
        if (ema != null) {
            models.actor().trainable().forEach((k, v) -> ema.put(k, v.duplicate()));
        }
        PpoLora lora = models.lora();
        this.actorLr = lora.actor() != null ? lora.actorLr() : settings.actorLr();
        this.criticLr = lora.critic() != null ? lora.criticLr() : settings.criticLr();
    }

    /** Averages of one step's minibatches. */
    record Stats(double policyLoss, double valueLoss, double costValueLoss, double clipFraction, double valueClipFraction,
                 double approxKl, double firstRatio, double firstClipFraction, double ptxLoss, int skipped, int minibatches) {
    }

    /** Trains on one rollout; {@code actorAdvantages} are the reward (or safety-combined) advantages. */
    Stats train(Rollout r, Advantages reward, Advantages cost, float[][] actorAdvantages, SplittableRandom rng, Batches ptx,
                String stage, int step) {
        Sums sums = new Sums();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            order.add(i);
        }
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            Collections.shuffle(order, new java.util.Random(rng.nextLong()));
            for (int from = 0; from < order.size(); from += settings.minibatch()) {
                int[] rows = order.subList(from, Math.min(order.size(), from + settings.minibatch())).stream().mapToInt(i -> i).toArray();
                // one scope per model: a step's activations are freed before the next model's step
                try (NDManager m = models.actor().manager().newSubManager()) {
                    actorStep(r, rows, PolicyForward.tokens(r, rows, m), reward, actorAdvantages, ptx, rng, m, sums, stage, step);
                }
                if (!models.sharedTrunk()) {
                    sums.value += valueStep(r, models.critic(), criticOptimizer, r.values(), reward.returns(), rows, sums, stage, step);
                }
                if (cost != null) {
                    sums.costValue += valueStep(r, models.costCritic(), costOptimizer, r.costValues(), cost.returns(), rows, null, stage, step);
                }
                sums.minibatches++;
            }
        }
        updateEma();
        int n = Math.max(1, sums.minibatches);
        return new Stats(sums.policy / n, sums.value / n, sums.costValue / n, sums.clip / n, sums.valueClip / n, sums.approxKl / n,
                sums.firstRatio, sums.firstClip, sums.ptx / n, sums.skipped, sums.minibatches);
    }

    /** Running sums over minibatches. */
    private static final class Sums {
        double policy;
        double value;
        double costValue;
        double clip;
        double valueClip;
        double approxKl;
        double ptx;
        double firstRatio = Double.NaN;
        double firstClip = Double.NaN;
        int skipped;
        int minibatches;
    }

    private void actorStep(Rollout r, int[] rows, PolicyForward.Tokens t, Advantages reward, float[][] actorAdvantages,
                           Batches ptx, SplittableRandom rng, NDManager m, Sums sums, String stage, int step) {
        Gpt actor = models.actor();
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray hidden = PolicyForward.hidden(actor, t);
            NDArray logProbs = PolicyForward.logProbs(actor, hidden, t);
            PpoLosses.PolicyLoss pl = PpoLosses.policy(logProbs, PolicyForward.rowsOf(r.logProbs(), rows, m),
                    PolicyForward.rowsOf(actorAdvantages, rows, m), t.mask(), losses);
            if (Double.isNaN(sums.firstRatio)) {
                sums.firstRatio = pl.meanRatio();
                sums.firstClip = pl.clipFraction();
            }
            if (pl.skip()) { // Coati: a minibatch whose mean ratio exceeds the threshold is not trained on
                sums.skipped++;
                return;
            }
            NDArray loss = pl.loss();
            if (models.sharedTrunk()) { // TrlX: one objective pg + vf_coef * vf on the shared trunk
                PpoLosses.ValueLoss vl = PpoLosses.value(PolicyForward.values(actor, hidden, t), PolicyForward.rowsOf(r.values(), rows, m),
                        PolicyForward.rowsOf(reward.returns(), rows, m), t.mask(), losses.cliprangeValue());
                loss = loss.add(vl.loss().mul(PpoLosses.constant(loss, losses.vfCoef())));
                sums.value += vl.loss().getFloat();
                sums.valueClip += vl.clipFraction();
            }
            if (settings.ptx().on() && settings.ptx().mode().equals("mixed")) { // Coati: (1 - c) pg + c LM
                double c = settings.ptx().coef();
                NDArray lm = lmLoss(ptx.next(rng), m);
                loss = loss.mul(PpoLosses.constant(loss, 1 - c)).add(lm.mul(PpoLosses.constant(lm, c)));
                sums.ptx += lm.getFloat();
            }
            check(loss, stage, step, "policy");
            gc.backward(loss);
            sums.policy += pl.loss().getFloat();
            sums.clip += pl.clipFraction();
            sums.approxKl += pl.approxKl();
        }
        optimise(actorOptimizer, actorLr, m);
        if (settings.ptx().on() && settings.ptx().mode().equals("separate")) { // DeepSpeed-Chat: unsup_coef * LM, own step
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray lm = lmLoss(ptx.next(rng), m);
                check(lm, stage, step, "ptx");
                gc.backward(lm.mul(PpoLosses.constant(lm, settings.ptx().coef())));
                sums.ptx += lm.getFloat();
            }
            optimise(actorOptimizer, actorLr, m);
        }
    }

    private double valueStep(Rollout r, Gpt critic, AdamW optimizer, float[][] oldValues, float[][] returns, int[] rows,
                             Sums sums, String stage, int step) {
        try (NDManager m = critic.manager().newSubManager()) {
            PolicyForward.Tokens t = PolicyForward.tokens(r, rows, m);
            float value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray v = PolicyForward.values(critic, PolicyForward.hidden(critic, t), t);
                PpoLosses.ValueLoss vl = PpoLosses.value(v, PolicyForward.rowsOf(oldValues, rows, m),
                        PolicyForward.rowsOf(returns, rows, m), t.mask(), losses.cliprangeValue());
                NDArray loss = losses.vfCoef() == 1.0 ? vl.loss() : vl.loss().mul(PpoLosses.constant(vl.loss(), losses.vfCoef()));
                check(loss, stage, step, "value");
                gc.backward(loss);
                value = vl.loss().getFloat();
                if (sums != null) {
                    sums.valueClip += vl.clipFraction();
                }
            }
            optimise(optimizer, criticLr, m);
            return value;
        }
    }

    private NDArray lmLoss(Batch b, NDManager m) {
        Gpt actor = models.actor();
        NDArray logits = actor.logits(actor.hidden(b.inputs(m), null, null, false));
        return LanguageModelLoss.crossEntropy(logits, b.targets(m), b.lossMask(m));
    }

    private void optimise(AdamW optimizer, double lr, NDManager m) {
        List<NDArray> grads = optimizer.gradients(m);
        float norm = AdamW.globalNorm(grads);
        if (!Float.isFinite(norm)) {
            throw new StageFailure("the gradient norm became " + norm + "; lower the learning rates");
        }
        AdamW.clip(grads, norm, settings.gradClip());
        optimizer.update(grads, lr);
    }

    private static void check(NDArray loss, String stage, int step, String which) {
        float v = loss.getFloat();
        if (!Float.isFinite(v)) {
            throw new StageFailure("stage " + stage + ", step " + step + ": the " + which + " loss became " + v
                    + "; lower the learning rates. Checkpoints before this step are kept.");
        }
    }

    /** DeepSpeed-Chat's moving_average: ema = beta * ema + (1 - beta) * actor, after every step. */
    private void updateEma() {
        if (ema == null) {
            return;
        }
        float beta = (float) settings.emaBeta();
        for (Map.Entry<String, NDArray> e : models.actor().trainable().entrySet()) {
            NDArray shadow = ema.get(e.getKey());
            NDArray fresh = e.getValue().mul(1 - beta);
            shadow.muli(beta).addi(fresh);
            fresh.close();
        }
    }

    /** The EMA of the trained weights by name, or null when the EMA is off. */
    Map<String, NDArray> ema() {
        return ema;
    }

    /** Writes the EMA actor as a checkpoint: the actor's base weights with the averaged trained weights (merged). */
    void saveEma(Tokenizer tokenizer, Path dir) throws IOException {
        Gpt actor = models.actor();
        try (Gpt averaged = ModelCopies.copy(actor)) {
            if (models.lora().actor() != null) {
                averaged.addAdapters(models.lora().actor(), 0);
            }
            averaged.trainable().forEach((k, a) -> a.set(ema.get(k).toFloatArray()));
            HfCheckpoint.save(averaged, tokenizer, dir);
        }
    }

    AdamW actorOptimizer() {
        return actorOptimizer;
    }

    AdamW criticOptimizer() {
        return criticOptimizer;
    }

    AdamW costOptimizer() {
        return costOptimizer;
    }

    @Override
    public void close() {
        actorOptimizer.close();
        if (criticOptimizer != null) {
            criticOptimizer.close();
        }
        if (costOptimizer != null) {
            costOptimizer.close();
        }
        if (ema != null) {
            ema.values().forEach(NDArray::close);
        }
    }
}
