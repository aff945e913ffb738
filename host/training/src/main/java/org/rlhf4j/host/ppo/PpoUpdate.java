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
import java.util.function.BinaryOperator;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.LossSettings;
import org.rlhf4j.api.ppo.PpoLosses;
import org.rlhf4j.api.ppo.PpoScheduler;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.model.HfCheckpoint;
import org.rlhf4j.host.model.tokenizer.Tokenizer;
import org.rlhf4j.host.reward.ModelCopies;
import org.rlhf4j.host.trainer.AdamW;
import org.rlhf4j.host.trainer.StateCopy;
import org.rlhf4j.host.trainer.Batch;
import org.rlhf4j.host.trainer.Batches;
import org.rlhf4j.host.trainer.LanguageModelLoss;

/**
 * Phase 5 of a PPO step ({@link PpoStage} numbers the phases): epochs over shuffled minibatches of one scored
 * rollout, each a clipped policy step on the actor and a clipped value step on each critic, with global-norm
 * clipping and the learning rates of {@link LearningRateSchedule}; PTX accumulated into the policy step
 * (DeepSpeed-Chat) or mixed into its loss (Coati); then the EMA of the actor, after every minibatch.
 *
 * <p>Lifecycle: created once per ppo stage over its models, with the optimizers (and the EMA) of what trains;
 * {@link #train} once per step; {@link PpoCheckpoint} saves and restores the optimizers and the EMA; closed by the
 * stage when it ends.
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
    private final BinaryOperator<float[][]> minibatchAdvantages;
    private final boolean stopToken;
    /** The scheduler's {@link PpoScheduler#valueLosses()}. */
    private final LossSettings valueLosses;
    /** The scheduler's {@link PpoScheduler#valuePerSequence()}. */
    private final boolean valuePerSequence;
    private final AdamW actorOptimizer;
    private final AdamW criticOptimizer;
    private final AdamW costOptimizer;
    private final Map<String, NDArray> ema;
    private final double actorLr;
    private final double criticLr;
    private final long totalUpdates;
    /** Updates taken so far in the stage (each minibatch of each epoch), which sets the learning rate of the next. */
    private long updates;
    /** The schedule's factor of the update under way, shared by every model's step of one minibatch. */
    private double lrFactor;

    /**
     * Over {@code models}, as {@code scheduler} trains: its losses and value losses, its critic's readout, its
     * {@link PpoScheduler#minibatchAdvantages} and whether the losses cover each answer's stop token
     * ({@link PpoScheduler#trainsOnStopToken}).
     */
    PpoUpdate(PpoModels models, PpoSettings settings, PpoScheduler scheduler) {
        this.models = models;
        this.settings = settings;
        this.losses = scheduler.losses();
        this.valueLosses = scheduler.valueLosses();
        this.valuePerSequence = scheduler.valuePerSequence();
        this.minibatchAdvantages = scheduler::minibatchAdvantages;
        this.stopToken = scheduler.trainsOnStopToken();
        this.actorOptimizer = new AdamW(models.actor().trainable(), settings.optimizer(), models.actor().manager());
        this.criticOptimizer = models.sharedTrunk() || models.critic() == null ? null
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
        this.totalUpdates = (long) settings.steps() * settings.updatesPerStep();
    }

    /**
     * What the update trains toward, from phase 3: the reward side's advantages and returns, the cost side's (null
     * without a cost critic), the actor's advantages (the reward side's, or the constraint's mix of both), and the
     * step's KL coefficient, which weighs the KL penalty in the actor's loss when the scheduler asks for one
     * ({@link LossSettings#klLoss()}).
     */
    record Targets(Advantages reward, Advantages cost, ActorAdvantages actor, double klCoef) {
    }

    /**
     * The actor's advantages of some rows of the rollout, (rows, T); asked once per minibatch, just before its policy
     * loss, so that a multiplier that moves with every update (Safe-RLHF's lambda) mixes each minibatch afresh.
     */
    interface ActorAdvantages {
        float[][] of(int[] rows);
    }

    /** The given rows of a (B, T) array, (rows, T), sharing the row arrays. */
    static float[][] pick(float[][] x, int[] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = x[rows[i]];
        }
        return out;
    }

    /** Averages of one step's minibatches, and the learning-rate factor of its last update. */
    record Stats(double policyLoss, double valueLoss, double costValueLoss, double clipFraction, double valueClipFraction,
                 double approxKl, double firstRatio, double firstClipFraction, double ptxLoss, double klLoss, int skipped,
                 int minibatches, double lrFactor) {
    }

    /**
     * Trains on one scored rollout toward {@code targets}: {@code epochs} passes over minibatches shuffled by
     * {@code rng}, which also draws the PTX batches from {@code ptx} (null when PTX is off); then the EMA.
     */
    Stats train(ScoredRollout scored, Targets targets, SplittableRandom rng, Batches ptx) {
        Totals totals = new Totals();
        updates = (long) (scored.step() - 1) * settings.updatesPerStep(); // also right after a resume
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < scored.size(); i++) {
            order.add(i);
        }
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            Collections.shuffle(order, new java.util.Random(rng.nextLong()));
            for (int from = 0; from < order.size(); from += settings.minibatch()) {
                int[] rows = order.subList(from, Math.min(order.size(), from + settings.minibatch())).stream().mapToInt(i -> i).toArray();
                Minibatch mb = new Minibatch(scored, targets, rows, stopToken);
                lrFactor = settings.lrSchedule().factor(updates, totalUpdates);
                totals.add(actorStep(mb, rng, ptx));
                if (criticOptimizer != null) {
                    totals.addValue(valueStep(mb, models.critic(), criticOptimizer, scored.reward().values(),
                            targets.reward().returns()));
                }
                if (targets.cost() != null) {
                    totals.addCostValue(valueStep(mb, models.costCritic(), costOptimizer, scored.cost().values(),
                            targets.cost().returns()));
                }
                totals.minibatches++;
                totals.lrFactor = lrFactor;
                updates++;
                updateEma();
            }
        }
        return totals.stats();
    }

    /** Some rows of the scored rollout with their targets: what one gradient step trains on. */
    private record Minibatch(ScoredRollout scored, Targets targets, int[] rows, boolean stopToken) {
        /** The rows' tokens; the losses' mask leaves out the stop tokens unless {@code stopToken}. */
        PolicyForward.Tokens tokens(NDManager m) {
            return PolicyForward.tokens(scored.rollout(), rows, m, stopToken);
        }

        /** The actor's advantages of these rows, through the scheduler's {@code minibatchAdvantages}. */
        NDArray advantages(BinaryOperator<float[][]> minibatchAdvantages, NDManager m) {
            float[][] adv = targets.actor().of(rows);                              // (b, N)
            float[][] mask = pick(scored.reward().mask(), rows);
            return PolicyForward.tensorOf(minibatchAdvantages.apply(adv, mask), m); // (b, N)
        }

        /** The rows of a (B, N) array of the rollout, as a tensor of {@code m}. */
        NDArray of(float[][] source, NDManager m) {
            return PolicyForward.rowsOf(source, rows, m);
        }
    }

    /** One value step's figures. */
    private record ValueFigures(float loss, float clipFraction) {
    }

    /**
     * One actor step's figures: the policy loss's, whether the step was skipped (then only the ratio and clip
     * fraction count), the shared value head's (TrlX; null with a separate critic), the PTX loss (0 when off) and the
     * KL penalty's estimate before its coefficient (0 without one).
     */
    private record ActorFigures(float policyLoss, float clipFraction, float approxKl, float meanRatio, boolean skipped,
                                ValueFigures sharedValue, float ptxLoss, float klLoss) {
    }

    /** The sums of one {@link #train} call's minibatch figures, and its {@link Stats}. */
    private static final class Totals {
        double policy;
        double value;
        double costValue;
        double clip;
        double valueClip;
        double approxKl;
        double ptx;
        double kl;
        double firstRatio = Double.NaN;
        double firstClip = Double.NaN;
        int skipped;
        int minibatches;
        double lrFactor;

        void add(ActorFigures a) {
            if (Double.isNaN(firstRatio)) {
                firstRatio = a.meanRatio();
                firstClip = a.clipFraction();
            }
            if (a.skipped()) {
                skipped++;
                ptx += a.ptxLoss();
                return;
            }
            policy += a.policyLoss();
            clip += a.clipFraction();
            approxKl += a.approxKl();
            ptx += a.ptxLoss();
            kl += a.klLoss();
            if (a.sharedValue() != null) {
                addValue(a.sharedValue());
            }
        }

        void addValue(ValueFigures v) {
            value += v.loss();
            valueClip += v.clipFraction();
        }

        void addCostValue(ValueFigures v) {
            costValue += v.loss();
        }

        Stats stats() {
            int n = Math.max(1, minibatches);
            return new Stats(policy / n, value / n, costValue / n, clip / n, valueClip / n, approxKl / n, firstRatio, firstClip,
                    ptx / n, kl / Math.max(1, minibatches - skipped), skipped, minibatches, lrFactor);
        }
    }

    /** The actor's step on one minibatch, in a scope of its own. */
    private ActorFigures actorStep(Minibatch mb, SplittableRandom rng, Batches ptx) {
        try (NDManager m = models.actor().manager().newSubManager()) {
            return policyStep(mb, rng, ptx, m);
        }
    }

    /**
     * The clipped policy loss on the actor, with TrlX's value loss when the critic is a head on the actor's trunk
     * (one objective pg + vf_coef x vf), and PTX: DeepSpeed-Chat's accumulated (pg + c LM) / 2, its two backward passes
     * of gradient accumulation 2 into one step, or Coati's mixed (1 - c) pg + c LM. When Coati's ratio test skips the
     * minibatch, the policy term is left out and the PTX term alone still trains and steps, as Coati v2's
     * _training_step does (ColossalAI 4f9953be3, applications/ColossalChat/coati/trainer/ppo.py lines 239-250 and
     * 287-289); without PTX a skipped minibatch takes no step (torch's optimizer leaves parameters without gradients
     * as they are).
     */
    private ActorFigures policyStep(Minibatch mb, SplittableRandom rng, Batches ptx, NDManager m) {
        Gpt actor = models.actor();
        PolicyForward.Tokens t = mb.tokens(m);
        ActorFigures figures;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray hidden = PolicyForward.hidden(actor, t);
            NDArray logProbs = PolicyForward.logProbs(actor, hidden, t);
            long maxLength = settings.generate().maxNewTokens();
            PpoLosses.PolicyLoss pl = PpoLosses.policy(logProbs, mb.of(mb.scored().reward().logProbs(), m),
                    mb.advantages(minibatchAdvantages, m), t.mask(), losses, maxLength);
            NDArray loss = pl.skip() ? null : pl.loss();
            float klLoss = 0;
            if (loss != null && losses.klLoss() != null) { // GRPO: beta x KL(pi || ref) in the loss, not in the rewards
                NDArray kl = PpoLosses.klLoss(logProbs, mb.of(mb.scored().reward().refLogProbs(), m), t.mask(), losses, maxLength);
                loss = loss.add(kl.mul(PpoLosses.constant(kl, mb.targets().klCoef())));
                klLoss = kl.getFloat();
            }
            ValueFigures shared = null;
            if (models.sharedTrunk() && loss != null) {
                PpoLosses.ValueLoss vl = PpoLosses.value(PolicyForward.values(actor, hidden, t, valuePerSequence), mb.of(mb.scored().reward().values(), m),
                        mb.of(mb.targets().reward().returns(), m), t.mask(), valueLosses);
                loss = loss.add(vl.loss().mul(PpoLosses.constant(loss, valueLosses.vfCoef())));
                shared = new ValueFigures(vl.loss().getFloat(), vl.clipFraction());
            }
            float ptxLoss = 0;
            if (settings.ptx().on()) {
                double c = settings.ptx().coef();
                boolean mixed = settings.ptx().mode().equals("mixed");
                NDArray lm = lmLoss(ptx.next(rng), m);
                check(lm, mb, "ptx");
                NDArray ptxTerm = lm.mul(PpoLosses.constant(lm, mixed ? c : c * 0.5));
                loss = loss == null ? ptxTerm : loss.mul(PpoLosses.constant(loss, mixed ? 1 - c : 0.5)).add(ptxTerm);
                ptxLoss = lm.getFloat();
            }
            if (loss == null) {
                return new ActorFigures(0, pl.clipFraction(), 0, pl.meanRatio(), true, null, 0, 0);
            }
            check(loss, mb, "policy");
            gc.backward(loss);
            figures = new ActorFigures(pl.loss().getFloat(), pl.clipFraction(), pl.approxKl(), pl.meanRatio(), pl.skip(), shared,
                    ptxLoss, klLoss);
        }
        optimise(actorOptimizer, actorLr, m);
        return figures;
    }

    /** The clipped value loss of one critic (the reward side's or the cost side's) on a minibatch, in a scope of its own. */
    private ValueFigures valueStep(Minibatch mb, Gpt critic, AdamW optimizer, float[][] oldValues, float[][] returns) {
        try (NDManager m = critic.manager().newSubManager()) {
            PolicyForward.Tokens t = mb.tokens(m);
            ValueFigures figures;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray v = PolicyForward.values(critic, PolicyForward.hidden(critic, t), t, valuePerSequence);
                PpoLosses.ValueLoss vl = PpoLosses.value(v, mb.of(oldValues, m), mb.of(returns, m), t.mask(), valueLosses);
                NDArray loss = valueLosses.vfCoef() == 1.0 ? vl.loss()
                        : vl.loss().mul(PpoLosses.constant(vl.loss(), valueLosses.vfCoef()));
                check(loss, mb, "value");
                gc.backward(loss);
                figures = new ValueFigures(vl.loss().getFloat(), vl.clipFraction());
            }
            optimise(optimizer, criticLr, m);
            return figures;
        }
    }

    private NDArray lmLoss(Batch b, NDManager m) {
        Gpt actor = models.actor();
        NDArray logits = actor.logits(actor.hidden(b.inputs(m), null, null, false));
        return LanguageModelLoss.crossEntropy(logits, b.targets(m), b.lossMask(m));
    }

    /** Clips the gradients' global norm and updates at {@code lr} times the schedule's factor for this update. */
    private void optimise(AdamW optimizer, double lr, NDManager m) {
        List<NDArray> grads = optimizer.gradients(m);
        float norm = AdamW.globalNorm(grads);
        if (!Float.isFinite(norm)) {
            throw new StageFailure("the gradient norm became " + norm + "; lower the learning rates");
        }
        AdamW.clip(grads, norm, settings.gradClip());
        optimizer.update(grads, lr * lrFactor);
    }

    private static void check(NDArray loss, Minibatch mb, String which) {
        float v = loss.getFloat();
        if (!Float.isFinite(v)) {
            throw new StageFailure("stage " + mb.scored().stage() + ", step " + mb.scored().step() + ": the " + which
                    + " loss became " + v
                    + "; lower the learning rates. Checkpoints before this step are kept.");
        }
    }

    /**
     * DeepSpeed-Chat's moving_average (dschat/utils/utils.py lines 267-281 at 83757d9c): ema = beta * ema + (1 - beta) *
     * actor, called by step 3's main.py after every train_rlhf, i.e. after every minibatch of every epoch (lines 550-567).
     */
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
            // the averaged weights are what the actor trains: all, its adapters and head, or its unfrozen top
            ema.forEach((k, v) -> StateCopy.overwrite(averaged.trainable().get(k), v.toFloatArray()));
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
