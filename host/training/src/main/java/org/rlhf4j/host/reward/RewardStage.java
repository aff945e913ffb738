package org.rlhf4j.host.reward;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.reward.PairBatch;
import org.rlhf4j.api.reward.PreferenceLoss;
import org.rlhf4j.api.stage.Progress;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.model.HfCheckpoint;
import org.rlhf4j.host.model.tokenizer.ChatTemplate;
import org.rlhf4j.host.train.OverLong;
import org.rlhf4j.host.trainer.AdamW;
import org.rlhf4j.host.trainer.ResumeCheckpoint;
import org.rlhf4j.host.trainer.TrainSettings;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.host.records.StageInputs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code reward}: trains a reward model from preference pairs (InstructGPT step 2). Starts from the SFT
 * checkpoint (or the pretrained one, by {@code reward.init}) with a fresh scalar head, learns with the
 * selected {@link PreferenceLoss} on batches of whole prompt groups, and reports held-out pairwise
 * accuracy and mean margin. Writes {@code checkpoints/<stage>/}. The beaver plugin's cost model is this
 * stage run under another name with {@code beaver.cost} as its loss.
 *
 * <p>Phases per step: (1) batch of whole groups, (2) one forward over chosen and rejected, (3) loss and
 * backward, (4) global-norm clip and AdamW; every {@code eval-interval} steps, (5) held-out accuracy.
 */
@Extension
@ExtensionName("reward")
public class RewardStage implements Stage {

    private static final Logger log = LoggerFactory.getLogger(RewardStage.class);

    /** A reward-model block ({@code reward}, or any stage name this class runs under). */
    record RewardSettings(String init, double heldOutFraction, TrainSettings train) {
        static RewardSettings from(Config c) {
            double h = c.getDouble("held-out-fraction");
            if (h <= 0 || h >= 1) {
                throw new ConfigProblem(c, "held-out-fraction", "must be between 0 and 1, got " + h);
            }
            c.getConfigList("sources"); // checked here, read when the stage runs
            c.getConfigList("held-out");
            return new RewardSettings(c.getString("init"), h, TrainSettings.from(c));
        }
    }

    private final RewardSettings settings;
    private final Config rawSettings;
    private final Extensions extensions;
    private final PreferenceLoss loss;
    private final ChatTemplate template;
    private final RunContext run;
    private final OverLong overLong;

    @Inject
    public RewardStage(@Settings Config settings, Config config, Extensions extensions, RunContext run) {
        this.settings = RewardSettings.from(settings);
        this.overLong = OverLong.from(settings);
        this.rawSettings = settings;
        StageInputs.check(extensions, settings, "sources", "held-out"); // unknown source types fail before any stage runs
        this.extensions = extensions;
        this.loss = extensions.select(PreferenceLoss.class, settings, "loss");
        this.template = ChatTemplate.from(config.getConfig("tokenizer"));
        this.run = run;
    }

    @Override
    public void run(StageContext ctx) throws Exception {
        String stage = ctx.stage();
        Path init = ctx.input(settings.init());
        try (HfCheckpoint.Loaded base = HfCheckpoint.load(init, run.device());
             Gpt model = ModelCopies.withScoreHead(base.model(), run.seed(stage + ".head"));
             AdamW optimizer = new AdamW(model.parameters(), settings.train().optimizer(), model.manager());
             Progress progress = ctx.progress("train", settings.train().steps())) {
            int pad = base.tokenizer().eosId();
            List<Record> records = new java.util.ArrayList<>();
            StageInputs.read(ctx, extensions, rawSettings, records::add);
            OverLong.Tally cut = new OverLong.Tally(stage, overLong);
            List<PreferenceData.Group> groups = PreferenceData.load(records, base.tokenizer(), template, model.config().context(), cut);
            List<Record> heldOutRecords = new java.util.ArrayList<>();
            StageInputs.readSources(extensions, rawSettings, "held-out", heldOutRecords::add);
            List<List<PreferenceData.Group>> split = heldOutRecords.isEmpty()
                    ? PreferenceData.split(groups, settings.heldOutFraction(), run.seed(stage + ".split"), stage)
                    : List.of(groups, PreferenceData.load(heldOutRecords, base.tokenizer(), template, model.config().context(), cut));
            cut.report(run, records.size() + heldOutRecords.size());
            List<PreferenceData.Pair> heldOut = PreferenceData.pairs(split.get(1));
            log.info("{}: {} pairs in {} prompt groups for training, {} held-out pairs", stage,
                    PreferenceData.pairs(split.get(0)).size(), split.get(0).size(), heldOut.size());

            int start = ResumeCheckpoint.restore(ctx.resumeDirectory(), model, optimizer);
            progress.step(start);
            Evaluation before = evaluate(model, heldOut, pad);
            run.metrics().log(stage, start, Map.of("val-accuracy", before.accuracy(), "val-margin", before.margin()));
            Random order = new Random(run.seed(stage + ".batches"));
            List<List<PreferenceData.Pair>> epoch = List.of();
            int cursor = 0;
            Evaluation last = before;
            for (int step = 0; step < settings.train().steps(); step++) {
                if (cursor >= epoch.size()) { // (1) a new epoch of whole-group batches
                    epoch = PreferenceData.batches(split.get(0), settings.train().batchSize(), order);
                    cursor = 0;
                }
                List<PreferenceData.Pair> batch = epoch.get(cursor++);
                if (step < start) {
                    continue; // replay the batch order up to the checkpoint
                }
                double lr = settings.train().learningRate(step);
                Map<String, Object> m = new LinkedHashMap<>();
                try (NDManager scope = model.manager().newSubManager()) {
                    float value;
                    float accuracy;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        PairBatch pb = PairTensors.forward(model, batch, pad, scope, true);       // (2)
                        NDArray l = loss.loss(pb);                                                 // (3)
                        gc.backward(l);
                        value = l.getFloat();
                        accuracy = loss.score(pb.chosenValues(), pb.chosenMask())
                                .gt(loss.score(pb.rejectedValues(), pb.rejectedMask())).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                                .mean().getFloat();
                    }
                    List<NDArray> grads = optimizer.gradients(scope);                              // (4)
                    float norm = AdamW.globalNorm(grads);
                    if (!Float.isFinite(value) || !Float.isFinite(norm)) {
                        throw new StageFailure("stage " + stage + ": the loss became " + value + " (gradient norm " + norm
                                + ") at step " + (step + 1) + "; lower learning-rate or check the pairs");
                    }
                    AdamW.clip(grads, norm, settings.train().gradClip());
                    optimizer.update(grads, lr);
                    m.put("loss", value);
                    m.put("accuracy", accuracy);
                    m.put("lr", lr);
                    m.put("grad-norm", norm);
                    m.put("pairs", batch.size());
                }
                boolean end = step + 1 == settings.train().steps();
                if ((step + 1) % settings.train().evalInterval() == 0 || end) {                    // (5)
                    last = evaluate(model, heldOut, pad);
                    m.put("val-accuracy", last.accuracy());
                    m.put("val-margin", last.margin());
                }
                run.metrics().log(stage, step + 1, m);
                progress.step(1);
                progress.status(String.format("loss %.3f val-acc %.3f", (float) m.get("loss"), last.accuracy()));
                int every = settings.train().checkpointInterval();
                if (every > 0 && !end && (step + 1) % every == 0) {
                    ResumeCheckpoint.save(ctx.resumeDirectory(), model, optimizer, step + 1, run.seed());
                }
            }
            run.metrics().log(stage, settings.train().steps(), Map.of("event", stage + "-finished",
                    "val-accuracy-before", before.accuracy(), "val-accuracy", last.accuracy(), "val-margin", last.margin()));
            log.info("{}: held-out pairwise accuracy {} -> {}, mean margin {}", stage, String.format("%.3f", before.accuracy()),
                    String.format("%.3f", last.accuracy()), String.format("%.3f", last.margin()));
            HfCheckpoint.save(model, base.tokenizer(), ctx.staging().resolve("checkpoints/" + stage));
        }
    }

    /** Held-out pairwise accuracy (chosen scored strictly higher) and mean margin. */
    record Evaluation(double accuracy, double margin) {
    }

    private Evaluation evaluate(Gpt model, List<PreferenceData.Pair> pairs, int pad) {
        int right = 0;
        double margin = 0;
        int size = Math.max(1, settings.train().batchSize());
        for (int i = 0; i < pairs.size(); i += size) {
            List<PreferenceData.Pair> chunk = pairs.subList(i, Math.min(pairs.size(), i + size));
            try (NDManager m = model.manager().newSubManager()) {
                PairBatch pb = PairTensors.forward(model, chunk, pad, m, false);
                float[] c = loss.score(pb.chosenValues(), pb.chosenMask()).toFloatArray();
                float[] r = loss.score(pb.rejectedValues(), pb.rejectedMask()).toFloatArray();
                for (int k = 0; k < c.length; k++) {
                    right += c[k] > r[k] ? 1 : 0;
                    margin += c[k] - r[k];
                }
            }
        }
        return new Evaluation((double) right / pairs.size(), margin / pairs.size());
    }
}
