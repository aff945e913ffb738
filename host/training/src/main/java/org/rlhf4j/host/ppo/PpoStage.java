package org.rlhf4j.host.ppo;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.Experience;
import org.rlhf4j.api.ppo.KlController;
import org.rlhf4j.api.ppo.PpoMath;
import org.rlhf4j.api.ppo.PpoScheduler;
import org.rlhf4j.api.ppo.SafetyConstraint;
import org.rlhf4j.api.reward.RewardModel;
import org.rlhf4j.api.stage.Progress;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.host.model.Generator;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.model.HfCheckpoint;
import org.rlhf4j.host.model.tokenizer.ChatTemplate;
import org.rlhf4j.host.reward.LearnedRewardModel;
import org.rlhf4j.host.reward.ModelCopies;
import org.rlhf4j.host.trainer.Batches;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.host.records.StageInputs;
import org.rlhf4j.host.run.ExtensionFailure;
import org.rlhf4j.host.train.OverLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ppo}: the RLHF step. The engine is the host's; every algorithmic choice is an extension chosen by
 * name: the scheduler ({@code ppo.scheduler}: where rewards go, how advantages follow, which losses), the KL
 * controller ({@code ppo.kl-controller}), the reward ({@code ppo.reward}: any text-level RewardModel), and the
 * optional safety constraint ({@code ppo.safety}) with its cost model and cost critic. The extensions are created
 * with the stage; the reward model is closed when the stage's run ends.
 *
 * <p>One step, in phases numbered here for the classes that carry them out:
 * <ol>
 *   <li>generate ({@link Rollout}): sample answers to a batch of prompts with the KV cache (inference mode, the
 *       actor's own weights), {@code samples-per-prompt} answers to each, in consecutive rows;</li>
 *   <li>score ({@link ScoredRollout}): actor and reference log-probabilities, critic values, reward (and cost)
 *       scores;</li>
 *   <li>advantages ({@link PpoUpdate.Targets}): the scheduler's rewards, advantages and returns; for safe PPO the
 *       constraint's cost side, its multiplier's update and the actor's advantages;</li>
 *   <li>the KL controller's update with the step's KL as TrlX measures it;</li>
 *   <li>update ({@link PpoUpdate}): epochs over shuffled minibatches: clipped policy and value losses, global-norm
 *       clipping, PTX, then the EMA;</li>
 *   <li>metrics, held-out samples every {@code sample-interval} steps ({@link HeldOutProbe}), a resume checkpoint
 *       ({@link PpoCheckpoint}).</li>
 * </ol>
 */
@Extension
@ExtensionName("ppo")
public final class PpoStage implements Stage {

    private static final Logger log = LoggerFactory.getLogger(PpoStage.class);

    private final PpoSettings settings;
    private final PpoLora lora;
    private final PpoScheduler scheduler;
    private final KlController kl;
    private final RewardModel reward;
    private final SafetyConstraint safety;
    private final ChatTemplate template;
    private final RunContext run;
    private final Extensions extensions;
    private final Config rawSettings;
    private final OverLong overLong;
    private final int layersUnfrozen;

    @Inject
    public PpoStage(@Settings Config settings, Config config, Extensions extensions, RunContext run) {
        this.settings = PpoSettings.from(settings);
        this.lora = PpoLora.from(settings);
        this.overLong = OverLong.from(settings);
        this.layersUnfrozen = layersUnfrozen(settings, lora);
        StageInputs.check(extensions, settings, "sources", "held-out"); // unknown source types fail before any stage runs
        this.scheduler = extensions.select(PpoScheduler.class, settings, "scheduler");
        this.kl = extensions.select(KlController.class, settings, "kl-controller");
        this.reward = extensions.select(RewardModel.class, settings, "reward");
        this.safety = settings.getString("safety").isBlank() ? null : extensions.select(SafetyConstraint.class, settings, "safety");
        if (this.settings.samplesPerPrompt() < scheduler.minimumGroupSize()) {
            throw new ConfigProblem(settings, "samples-per-prompt", "is " + this.settings.samplesPerPrompt() + ", but the scheduler "
                    + settings.getString("scheduler") + " compares the answers to one prompt with each other and needs at least "
                    + scheduler.minimumGroupSize() + " (with 1 every advantage is 0 and nothing trains)");
        }
        this.template = ChatTemplate.from(config.getConfig("tokenizer"));
        this.run = run;
        this.extensions = extensions;
        this.rawSettings = settings;
    }

    @Override
    public void run(StageContext ctx) throws Exception {
        try (reward) { // created with the stage, closed when its run ends, whether it returns or throws
            train(ctx);
        }
    }

    private void train(StageContext ctx) throws Exception {
        String stage = ctx.stage();
        // Reward shaping (a constraint that needs no cost critic) still scores its rollouts by the cost model.
        Path costCritic = safety == null || !safety.needsCostCritic() ? null : ctx.input(settings.costCritic());
        Path costModel = safety != null ? ctx.input(settings.costModel())
                : ctx.inputIfPresent(settings.costModel()).filter(Files::isDirectory).orElse(null);
        boolean critic = scheduler.needsCritic();
        boolean shared = critic && scheduler.losses().sharedTrunk();
        // Safe PPO scores its rollouts by the cost model. Without a constraint a trained cost model (when the run has
        // one) still scores the held-out answers, so that plain and safe variants of a comparison both have a cost.
        try (PpoModels models = PpoModels.load(ctx.input(settings.actor()), shared || !critic ? null : ctx.input(settings.critic()),
                costCritic, shared, scheduler.valueHead(), layersUnfrozen, lora, run);
             LearnedRewardModel cost = costModel == null ? null
                     : new LearnedRewardModel(costModel.toString(), 32, template, run);
             PpoUpdate update = new PpoUpdate(models, settings, scheduler);
             Progress progress = ctx.progress("ppo", settings.steps())) {
            int context = models.actor().config().context();
            List<Record> records = new ArrayList<>();
            StageInputs.read(ctx, extensions, rawSettings, records::add);
            OverLong.Tally cut = new OverLong.Tally(stage, overLong);
            List<PromptSet.Prompt> prompts = PromptSet.load(records, models.tokenizer(), template, context, 1, cut);
            List<Record> heldOutRecords = new ArrayList<>();
            StageInputs.readSources(extensions, rawSettings, "held-out", heldOutRecords::add);
            List<PromptSet.Prompt> heldOut = heldOutRecords.isEmpty()
                    ? prompts.subList(0, Math.min(settings.samplePrompts(), prompts.size()))
                    : PromptSet.load(heldOutRecords, models.tokenizer(), template, context, 1, cut);
            cut.report(run, records.size() + heldOutRecords.size());
            Generator actorGen = new Generator(models.actor(), models.tokenizer(), settings.generate());
            HeldOutProbe probe = new HeldOutProbe(heldOut, reward, cost, ctx.staging().resolve("reports/" + stage + "-samples.jsonl"),
                    run.seed(stage + ".samples"), stage);
            Batches ptx = settings.ptx().on() ? PtxData.batches(ctx, settings.ptx(), models.tokenizer(), context) : null;

            int start = PpoCheckpoint.restore(ctx.resumeDirectory(), models, update, kl, scheduler, safety);
            progress.step(start);
            // The reference is the SFT policy, frozen: "before" figures come from it, also after a resume.
            Map<String, Object> before = probe.probe(new Generator(models.reference(), models.tokenizer(), settings.generate()), models, 0);
            run.metrics().log(stage, start, before);
            log.info("{}: {} prompts, {} held out; scheduler {}, critic {}, safety {}; before: {}", stage, prompts.size(),
                    heldOut.size(), rawSettings.getString("scheduler"), !critic ? "none" : shared ? "value head on the actor" : "separate",
                    safety == null ? "none" : rawSettings.getString("safety"), before);
            Map<String, Object> last = before;
            LearnedRewardModel rolloutCost = safety == null ? null : cost;
            for (int step = start; step < settings.steps(); step++) {
                SplittableRandom rng = new SplittableRandom(run.seed(stage + ".step." + step));
                List<PromptSet.Prompt> batch = grouped(sample(prompts, settings.rolloutBatch(), rng), settings.samplesPerPrompt());
                Rollout rollout = Rollout.generate(actorGen, batch, rng.nextLong(), models.tokenizer());          // 1
                ScoredRollout scored = ScoredRollout.score(models, rollout, reward, rolloutCost, scheduler.valuePerSequence(),
                        settings.samplesPerPrompt(), stage, step + 1);                                       // 2
                double klCoef = kl.coefficient();
                PpoUpdate.Targets targets = targets(scored, klCoef, step + 1);                                     // 3
                Experience e = scored.reward();
                double observedKl = mean(PpoMath.trlxSequenceKl(e.logProbs(), e.refLogProbs(), e.mask()))
                        + (kl.observesPrompt() ? mean(PromptKl.of(models, rollout)) : 0);
                try {
                    kl.update(observedKl, rollout.size(), settings.epochs(), settings.minibatch());        // 4
                } catch (RuntimeException ex) {
                    throw ExtensionFailure.of("ppo.kl-controller", rawSettings.getString("kl-controller"), at(step + 1), ex);
                }
                long t0 = System.nanoTime();
                PpoUpdate.Stats stats = update.train(scored, targets, rng, ptx);                                   // 5
                double trainSeconds = (System.nanoTime() - t0) / 1e9;
                Map<String, Object> m = metrics(scored, observedKl, klCoef, stats, trainSeconds);                  // 6
                if (Double.valueOf(1.0).equals(m.get("groups-constant-reward"))) {
                    log.warn("{}, step {}: every prompt's {} answers scored the same (groups-constant-reward = 1): the group"
                            + " advantages are 0 and the step trained nothing", stage, step + 1, settings.samplesPerPrompt());
                }
                boolean end = step + 1 == settings.steps();
                if ((step + 1) % settings.sampleInterval() == 0 || end) {
                    last = probe.probe(actorGen, models, step + 1);
                    m.putAll(last);
                }
                run.metrics().log(stage, step + 1, m);
                progress.step(1);
                progress.status(String.format("reward %.3f kl %.3f", (double) m.get("reward-mean"), (double) m.get("kl")));
                if (settings.checkpointInterval() > 0 && !end && (step + 1) % settings.checkpointInterval() == 0) {
                    PpoCheckpoint.save(ctx.resumeDirectory(), step + 1, run.seed(), models, update, kl, scheduler, safety);
                }
            }
            summarise(stage, before, last);
            // The policy is a language model: a value head on its trunk (TrlX) is PPO's, not the checkpoint's.
            if (models.sharedTrunk()) {
                try (Gpt policy = ModelCopies.withoutScoreHead(models.actor())) {
                    HfCheckpoint.save(policy, models.tokenizer(), ctx.staging().resolve("checkpoints/" + stage));
                }
            } else {
                HfCheckpoint.save(models.actor(), models.tokenizer(), ctx.staging().resolve("checkpoints/" + stage));
            }
            if (update.ema() != null) {
                update.saveEma(models.tokenizer(), ctx.staging().resolve("checkpoints/" + stage + "-ema"));
            }
        }
    }

    /**
     * Phase 3: the scheduler's rewards and advantages; with a safety constraint also its cost side and its
     * multiplier's update from the episode costs. The actor's advantages follow per minibatch ({@link
     * PpoUpdate.ActorAdvantages}): the reward side's, or the constraint's mix of both sides. A constraint without a
     * cost critic (reward shaping) shapes the scores the scheduler sees instead, and the actor takes the reward side's.
     */
    private PpoUpdate.Targets targets(ScoredRollout scored, double klCoef, int step) {
        Experience raw = scored.reward();
        boolean shaping = safety != null && !safety.needsCostCritic();
        Experience e = !shaping ? raw : raw.withScores(safetyCall(step, () -> safety.shapeScores(raw.scores(), scored.cost().scores())));
        Advantages reward;
        try {
            reward = scheduler.schedule(e, klCoef, step);
        } catch (RuntimeException ex) {
            throw ExtensionFailure.of("ppo.scheduler", rawSettings.getString("scheduler"), at(step), ex);
        }
        PpoUpdate.ActorAdvantages own = rows -> PpoUpdate.pick(reward.advantages(), rows);
        if (safety == null) {
            return new PpoUpdate.Targets(reward, null, own, klCoef);
        }
        double[] episodeCosts = new double[scored.size()];
        for (int i = 0; i < scored.size(); i++) {
            episodeCosts[i] = scored.cost().scores()[i];
        }
        safetyCall(step, () -> {
            safety.update(episodeCosts);
            return null;
        });
        if (shaping) {
            return new PpoUpdate.Targets(reward, null, own, klCoef);
        }
        Advantages cost = safetyCall(step, () -> safety.costAdvantages(scored.cost(), klCoef));
        // Safe-RLHF's rl_step: the multiplier's step (beforeMinibatch), then this minibatch's advantage mix.
        return new PpoUpdate.Targets(reward, cost, rows -> safetyCall(step, () -> {
            safety.beforeMinibatch();
            return safety.actorAdvantage(PpoUpdate.pick(reward.advantages(), rows), PpoUpdate.pick(cost.advantages(), rows));
        }), klCoef);
    }

    /** Calls the safety constraint, naming it and the step when it fails. */
    private <T> T safetyCall(int step, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw ExtensionFailure.of("ppo.safety", rawSettings.getString("safety"), at(step), e);
        }
    }

    /** {@code layers-unfrozen}, -1 (all train) or more; ignored with a warning under actor LoRA, as TrlX does under PEFT. */
    private static int layersUnfrozen(Config settings, PpoLora lora) {
        int n = settings.getInt("layers-unfrozen");
        if (n < -1) {
            throw new ConfigProblem(settings, "layers-unfrozen", "must be -1 (every layer trains) or >= 0, got " + n);
        }
        if (n >= 0 && lora.actor() != null) {
            log.warn("ppo.layers-unfrozen = {} is ignored with actor LoRA (TrlX ignores num_layers_unfrozen under PEFT)", n);
            return -1;
        }
        return n;
    }

    /** Where an error at PPO step {@code step} happened, as messages name it. */
    private static String at(int step) {
        return "stage ppo, step " + step;
    }

    /** Phase 6's figures of one step; {@code observedKl} is what the KL controller saw. */
    private Map<String, Object> metrics(ScoredRollout scored, double observedKl, double klCoef, PpoUpdate.Stats s,
                                        double trainSeconds) {
        Rollout r = scored.rollout();
        Experience e = scored.reward();
        Map<String, Object> m = new LinkedHashMap<>();
        double[] scores = new double[r.size()];
        for (int i = 0; i < r.size(); i++) {
            scores[i] = e.scores()[i];
        }
        m.put("reward-mean", mean(scores));
        m.put("reward-std", std(scores));
        m.put("kl", mean(PpoMath.sequenceSums(PpoMath.klK1(e.logProbs(), e.refLogProbs(), e.mask()), e.mask())));
        m.put("kl-trlx", observedKl);
        m.put("kl-coef", klCoef);
        m.put("entropy", (double) scored.entropy());
        m.put("policy-loss", s.policyLoss());
        m.put("value-loss", s.valueLoss());
        m.put("clip-fraction", s.clipFraction());
        m.put("value-clip-fraction", s.valueClipFraction());
        m.put("approx-kl", s.approxKl());
        m.put("first-ratio", s.firstRatio());
        m.put("first-clip-fraction", s.firstClipFraction());
        m.put("skipped-minibatches", s.skipped());
        m.put("lr-factor", s.lrFactor());
        if (scheduler.losses().klLoss() != null) {
            m.put("kl-loss", s.klLoss());
        }
        if (e.groupSize() > 1) {
            m.put("groups-constant-reward", constantGroupShare(e));
        }
        m.put("response-length", (double) r.generatedTokens() / r.size());
        m.put("time-generate", r.generateSeconds());
        m.put("time-score", scored.scoreSeconds());
        m.put("time-train", trainSeconds);
        m.put("tokens-per-second-generate", r.generatedTokens() / Math.max(1e-9, r.generateSeconds()));
        m.put("tokens-per-second-train", settings.epochs() * r.generatedTokens() / Math.max(1e-9, trainSeconds));
        m.put("peak-memory-mb", HeldOutProbe.peakMemoryMb());
        if (settings.ptx().on()) {
            m.put("ptx-loss", s.ptxLoss());
        }
        if (safety != null) {
            double[] costs = new double[r.size()];
            int unsafe = 0;
            for (int i = 0; i < r.size(); i++) {
                costs[i] = scored.cost().scores()[i];
                unsafe += costs[i] > 0 ? 1 : 0; // positive cost means unsafe
            }
            m.put("cost-mean", mean(costs));
            m.put("unsafe-share", (double) unsafe / r.size());
            m.put("lambda", safety.multiplier());
            if (safety.needsCostCritic()) {
                m.put("cost-value-loss", s.costValueLoss());
            }
        }
        return m;
    }

    private void summarise(String stage, Map<String, Object> before, Map<String, Object> after) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("event", stage + "-finished");
        before.forEach((k, v) -> summary.put(k + "-before", v));
        after.forEach((k, v) -> summary.put(k + "-after", v));
        summary.put("kl-bound", settings.klBound());
        run.metrics().log(stage, settings.steps(), summary);
        log.info("{}: held-out before {} after {}", stage, before, after);
    }

    /** Each prompt {@code k} times in a row: the rollout's groups ({@link Experience#groupSize()}). */
    private static List<PromptSet.Prompt> grouped(List<PromptSet.Prompt> prompts, int k) {
        List<PromptSet.Prompt> out = new ArrayList<>();
        for (PromptSet.Prompt p : prompts) {
            for (int j = 0; j < k; j++) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * The share of groups whose K answers all scored the same: their group-relative advantages are 0 (GRPO divides
     * 0 by its epsilon, not by 0), so those prompts teach nothing this step.
     */
    static double constantGroupShare(Experience e) {
        int k = e.groupSize();
        int groups = e.batchSize() / k;
        int constant = 0;
        for (int g = 0; g < groups; g++) {
            boolean same = true;
            for (int j = 1; j < k; j++) {
                same &= e.scores()[g * k + j] == e.scores()[g * k];
            }
            constant += same ? 1 : 0;
        }
        return groups == 0 ? 0 : (double) constant / groups;
    }

    private static List<PromptSet.Prompt> sample(List<PromptSet.Prompt> prompts, int n, SplittableRandom rng) {
        List<PromptSet.Prompt> pool = new ArrayList<>(prompts);
        List<PromptSet.Prompt> out = new ArrayList<>();
        while (out.size() < n) {
            if (pool.isEmpty()) {
                pool.addAll(prompts);
            }
            out.add(pool.remove(rng.nextInt(pool.size())));
        }
        return out;
    }

    private static double mean(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return xs.length == 0 ? 0 : s / xs.length;
    }

    private static double std(double[] xs) {
        double m = mean(xs);
        double s = 0;
        for (double x : xs) {
            s += (x - m) * (x - m);
        }
        return xs.length < 2 ? 0 : Math.sqrt(s / (xs.length - 1));
    }
}
