package org.rlhf4j.host.preference;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.reward.PolicyPairBatch;
import org.rlhf4j.api.reward.PolicyPreferenceLoss;
import org.rlhf4j.api.stage.Progress;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.records.StageInputs;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.model.HfCheckpoint;
import org.rlhf4j.host.model.tokenizer.ChatTemplate;
import org.rlhf4j.host.reward.ModelCopies;
import org.rlhf4j.host.reward.PreferenceData;
import org.rlhf4j.host.trainer.AdamW;
import org.rlhf4j.host.trainer.ResumeCheckpoint;
import org.rlhf4j.host.trainer.TrainSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code preference}: offline preference optimisation of the policy itself (DPO, SimPO, ORPO ...), the
 * alternative to a reward model plus PPO. Starts from the SFT checkpoint, keeps a frozen copy of it as the
 * reference when the selected {@link PolicyPreferenceLoss} needs one, and learns from (prompt, chosen,
 * rejected) triples with the loss on the answers' summed token log-probabilities. Writes
 * {@code checkpoints/<stage>/}. {@code preference#<label>} entries run the variants of
 * {@code preference.variants} side by side ({@link PreferenceSettings}); all of them split and order the
 * pairs alike, so their curves compare.
 *
 * <p>Phases per step: (1) {@code accumulation} batches of whole prompt groups; per batch (2) the reference's
 * answer log-probabilities (no gradients), (3) the policy's, (4) loss and backward; then (5) global-norm
 * clip and AdamW; every {@code eval-interval} steps, (6) held-out implicit-reward margin and accuracy.
 */
@Extension
@ExtensionName("preference")
public class PreferenceStage implements Stage {

    private static final Logger log = LoggerFactory.getLogger(PreferenceStage.class);

    /** One way to run the stage: its keys and its loss. */
    private record Variant(PreferenceSettings settings, PolicyPreferenceLoss loss, String lossName) {
    }

    private final Variant plain;
    private final Map<String, Variant> variants = new LinkedHashMap<>();
    private final Extensions extensions;
    private final ChatTemplate template;
    private final RunContext run;

    @Inject
    public PreferenceStage(@Settings Config settings, Config config, Extensions extensions, RunContext run) {
        this.extensions = extensions;
        this.plain = variant(settings);
        PreferenceSettings.variants(settings).forEach((label, block) -> variants.put(label, variant(block)));
        this.template = ChatTemplate.from(config.getConfig("tokenizer"));
        this.run = run;
    }

    private Variant variant(Config block) {
        StageInputs.check(extensions, block, "sources", "held-out"); // unknown source types fail before any stage runs
        return new Variant(PreferenceSettings.from(block), extensions.select(PolicyPreferenceLoss.class, block, "loss"),
                block.getString("loss"));
    }

    @Override
    public void run(StageContext ctx) throws Exception {
        String stage = ctx.stage();
        Variant v = variants.getOrDefault(PreferenceSettings.label(stage), plain);
        PreferenceSettings s = v.settings();
        TrainSettings train = s.train();
        PolicyPreferenceLoss loss = v.loss();
        String shared = PreferenceSettings.baseName(stage);   // every variant draws the same split and batches
        Path init = ctx.input(s.init());
        try (HfCheckpoint.Loaded start = HfCheckpoint.load(init, run.device());
             Gpt reference = loss.needsReference() ? ModelCopies.copy(start.model()) : null;
             AdamW optimizer = new AdamW(start.model().parameters(), train.optimizer(), start.model().manager());
             Progress progress = ctx.progress("train", train.steps())) {
            Gpt policy = start.model();
            int pad = start.tokenizer().eosId();
            List<List<PreferenceData.Group>> split = load(ctx, s, start, shared);
            List<PreferenceData.Pair> heldOut = PreferenceData.pairs(split.get(1));
            heldOut = heldOut.subList(0, Math.min(heldOut.size(), train.evalBatches() * train.batchSize()));
            log.info("{}: loss {}, {} pairs in {} prompt groups for training, {} held-out pairs", stage,
                    v.lossName(), PreferenceData.pairs(split.get(0)).size(), split.get(0).size(), heldOut.size());

            Evaluation before = evaluate(policy, reference, loss, heldOut, pad, train.batchSize());  // the start, as loaded
            int begin = ResumeCheckpoint.restore(ctx.resumeDirectory(), policy, optimizer);
            progress.step(begin);
            Evaluation last = before;
            if (begin == 0) {
                run.metrics().log(stage, 0, before.metrics());
            } else {
                last = evaluate(policy, reference, loss, heldOut, pad, train.batchSize());
            }
            Batches batches = new Batches(split.get(0), train.batchSize(), new Random(run.seed(shared + ".batches")));
            for (int step = 0; step < train.steps(); step++) {
                List<List<PreferenceData.Pair>> micro = new ArrayList<>();                  // (1)
                for (int k = 0; k < train.accumulation(); k++) {
                    micro.add(batches.next());
                }
                if (step < begin) {
                    continue; // replay the batch order up to the checkpoint
                }
                if (policy.config().dropout() > 0) {
                    Engine.getInstance().setRandomSeed((int) run.seed(shared + ".dropout." + step));
                }
                Map<String, Object> m = step(stage, step, policy, reference, loss, optimizer, micro, pad, train);
                boolean end = step + 1 == train.steps();
                if ((step + 1) % train.evalInterval() == 0 || end) {                            // (6)
                    last = evaluate(policy, reference, loss, heldOut, pad, train.batchSize());
                    m.putAll(last.metrics());
                }
                run.metrics().log(stage, step + 1, m);
                progress.step(1);
                progress.status(String.format("loss %.3f val-margin %.3f val-acc %.3f", (double) m.get("loss"),
                        last.margin(), last.accuracy()));
                int every = train.checkpointInterval();
                if (every > 0 && !end && (step + 1) % every == 0) {
                    ResumeCheckpoint.save(ctx.resumeDirectory(), policy, optimizer, step + 1, run.seed());
                }
            }
            run.metrics().log(stage, train.steps(), Map.of("event", stage + "-finished",
                    "val-accuracy-before", before.accuracy(), "val-margin-before", before.margin(),
                    "val-accuracy", last.accuracy(), "val-margin", last.margin()));
            log.info("{}: held-out implicit-reward margin {} -> {}, accuracy {} -> {}", stage,
                    String.format("%.4f", before.margin()), String.format("%.4f", last.margin()),
                    String.format("%.3f", before.accuracy()), String.format("%.3f", last.accuracy()));
            HfCheckpoint.save(policy, start.tokenizer(), ctx.staging().resolve("checkpoints/" + stage));
        }
    }

    /** The (train, held-out) prompt groups, encoded, fitted to the length limit and split. */
    private List<List<PreferenceData.Group>> load(StageContext ctx, PreferenceSettings s, HfCheckpoint.Loaded start,
                                                  String shared) {
        String stage = ctx.stage();
        int context = start.model().config().context();
        int maxLength = s.maxLength() == 0 ? context : s.maxLength();
        if (maxLength > context) {
            throw new StageFailure("stage " + stage + ": max-length " + maxLength + " is longer than the model's context of "
                    + context + "; lower max-length or set it to 0");
        }
        List<Record> records = new ArrayList<>();
        StageInputs.read(ctx, extensions, s.block(), records::add);
        List<PreferenceData.Group> groups = fit(records, start, maxLength, s.promptShare(), stage);
        List<Record> heldOutRecords = new ArrayList<>();
        StageInputs.readSources(extensions, s.block(), "held-out", heldOutRecords::add);
        return heldOutRecords.isEmpty()
                ? PreferenceData.split(groups, s.heldOutFraction(), run.seed(shared + ".split"), stage)
                : List.of(groups, fit(heldOutRecords, start, maxLength, s.promptShare(), stage));
    }

    private List<PreferenceData.Group> fit(List<Record> records, HfCheckpoint.Loaded start, int maxLength, double promptShare,
                                           String stage) {
        List<PreferenceData.Group> all = PreferenceData.load(records, start.tokenizer(), template, Integer.MAX_VALUE, stage);
        PairTruncation.Result fitted = PairTruncation.fit(all, maxLength, promptShare);
        if (fitted.truncated() > 0) {
            log.info("{}: {} of {} pairs cut to {} tokens (the prompt's end, the answers' starts); {} of them dropped as"
                    + " their answers became identical", stage, fitted.truncated(), PreferenceData.pairs(all).size(), maxLength,
                    fitted.dropped());
        }
        if (fitted.groups().isEmpty()) {
            throw new StageFailure("stage " + stage + ": no preference pair is left after cutting to " + maxLength
                    + " tokens (every cut pair's answers became identical); raise max-length or lower prompt-share");
        }
        for (PreferenceData.Pair p : PreferenceData.pairs(fitted.groups())) {
            if (p.promptLength() < 1 || p.chosen().length <= p.promptLength() || p.rejected().length <= p.promptLength()) {
                throw new StageFailure("stage " + stage + ": record " + p.source() + " needs a prompt and two answers"
                        + " of at least one token each");
            }
        }
        return fitted.groups();
    }

    /** Phases (2) to (5) of one optimizer step; returns the step's metrics. */
    private Map<String, Object> step(String stage, int step, Gpt policy, Gpt reference, PolicyPreferenceLoss loss,
                                     AdamW optimizer, List<List<PreferenceData.Pair>> micro, int pad, TrainSettings train) {
        double lr = train.learningRate(step);
        Map<String, Object> m = new LinkedHashMap<>();
        try (NDManager scope = policy.manager().newSubManager()) {
            double value = 0;
            double margin = 0;
            int right = 0;
            int pairs = 0;
            for (List<PreferenceData.Pair> batch : micro) {
                try (NDManager mb = scope.newSubManager()) {
                    AnswerLogProbs ref = reference == null ? null : AnswerLogProbs.of(reference, batch, pad, mb, false); // (2)
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        PolicyPairBatch pb = pairBatch(AnswerLogProbs.of(policy, batch, pad, mb, true), ref);        // (3)
                        NDArray l = loss.loss(pb);                                                                     // (4)
                        // a tensor, not mul(Number): autograd must keep the scalar alive (docs/pitfalls.md, DJL)
                        gc.backward(micro.size() == 1 ? l : l.mul(mb.create(1f / micro.size())));
                        value += l.getFloat() / micro.size();
                        for (float d : loss.margin(pb).toFloatArray()) {
                            margin += d;
                            right += d > 0 ? 1 : 0;
                        }
                        pairs += batch.size();
                    }
                }
            }
            List<NDArray> grads = optimizer.gradients(scope);                                                       // (5)
            float norm = AdamW.globalNorm(grads);
            if (!Double.isFinite(value) || !Float.isFinite(norm)) {
                throw new StageFailure("stage " + stage + ": the loss became " + value + " (gradient norm " + norm + ") at step "
                        + (step + 1) + " (learning rate " + String.format("%.3g", lr) + "); lower learning-rate or check the"
                        + " pairs. Checkpoints before this step are kept.");
            }
            AdamW.clip(grads, norm, train.gradClip());
            optimizer.update(grads, lr);
            m.put("loss", value);
            m.put("accuracy", (double) right / pairs);
            m.put("margin", margin / pairs);
            m.put("lr", lr);
            m.put("grad-norm", norm);
            m.put("pairs", pairs);
        }
        return m;
    }

    private static PolicyPairBatch pairBatch(AnswerLogProbs policy, AnswerLogProbs reference) {
        long p = policy.chosen().getShape().get(0);
        return new PolicyPairBatch(policy.chosen(), policy.rejected(), policy.chosenLengths(), policy.rejectedLengths(),
                reference == null ? null : reference.chosen(), reference == null ? null : reference.rejected(),
                policy.tokens().get("0:{}", p), policy.answerMask().get("0:{}", p), policy.tokens().get("{}:", p),
                policy.answerMask().get("{}:", p), policy.chosenPrompt(), policy.promptLengths());
    }

    /**
     * Held-out figures of the loss's implicit reward r: the mean margin r(chosen) - r(rejected), the share of
     * pairs where it is positive, and the mean reward of each side.
     */
    record Evaluation(double accuracy, double margin, double chosenReward, double rejectedReward) {
        Map<String, Object> metrics() {
            return Map.of("val-accuracy", accuracy, "val-margin", margin, "val-chosen-reward", chosenReward,
                    "val-rejected-reward", rejectedReward);
        }
    }

    private static Evaluation evaluate(Gpt policy, Gpt reference, PolicyPreferenceLoss loss, List<PreferenceData.Pair> pairs,
                                       int pad, int size) {
        int right = 0;
        double chosen = 0;
        double rejected = 0;
        for (int i = 0; i < pairs.size(); i += size) {
            List<PreferenceData.Pair> chunk = pairs.subList(i, Math.min(pairs.size(), i + size));
            try (NDManager m = policy.manager().newSubManager()) {
                AnswerLogProbs pol = AnswerLogProbs.of(policy, chunk, pad, m, false);
                AnswerLogProbs ref = reference == null ? null : AnswerLogProbs.of(reference, chunk, pad, m, false);
                PolicyPairBatch pb = pairBatch(pol, ref);
                float[] c = loss.reward(pb.chosenLogProbs(), pb.chosenLengths(), pb.referenceChosenLogProbs()).toFloatArray();
                float[] r = loss.reward(pb.rejectedLogProbs(), pb.rejectedLengths(), pb.referenceRejectedLogProbs()).toFloatArray();
                for (int k = 0; k < c.length; k++) {
                    right += c[k] > r[k] ? 1 : 0;
                    chosen += c[k];
                    rejected += r[k];
                }
            }
        }
        int n = pairs.size();
        return new Evaluation((double) right / n, (chosen - rejected) / n, chosen / n, rejected / n);
    }

    /** Batches of whole prompt groups, a new shuffle each epoch, in an order the seed fixes. */
    private static final class Batches {
        private final List<PreferenceData.Group> groups;
        private final int size;
        private final Random order;
        private List<List<PreferenceData.Pair>> epoch = List.of();
        private int cursor;

        Batches(List<PreferenceData.Group> groups, int size, Random order) {
            this.groups = groups;
            this.size = size;
            this.order = order;
        }

        List<PreferenceData.Pair> next() {
            if (cursor >= epoch.size()) {
                epoch = PreferenceData.batches(groups, size, order);
                cursor = 0;
            }
            return epoch.get(cursor++);
        }
    }
}
