package org.rlhf4j.host.train;

import org.rlhf4j.host.trainer.Batch;
import org.rlhf4j.host.trainer.ConversationBatches;
import org.rlhf4j.host.trainer.TrainSettings;
import org.rlhf4j.host.trainer.Trainer;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
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
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.stage.Progress;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.records.StageInputs;
import org.rlhf4j.host.model.Generator;
import org.rlhf4j.host.model.HfCheckpoint;
import org.rlhf4j.host.model.tokenizer.ChatTemplate;
import org.rlhf4j.host.run.Printable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sft}: supervised fine-tuning on conversations, the loss on assistant tokens only (every turn).
 * Starts from {@code sft.init} (the pretrained checkpoint), holds out a share of the conversations, and
 * reports the held-out answer loss before and after, and how many sampled answers end with the stop token.
 */
@Extension
@ExtensionName("sft")
public final class SftStage implements Stage {

    private static final Logger log = LoggerFactory.getLogger(SftStage.class);

    /** The {@code sft} block. */
    record SftSettings(String init, double validationFraction, int samplePrompts, TrainSettings train) {
        static SftSettings from(Config c) {
            double vf = c.getDouble("validation-fraction");
            if (vf <= 0 || vf >= 1) {
                throw new ConfigProblem(c, "validation-fraction", "must be between 0 and 1, got " + vf);
            }
            c.getConfigList("sources"); // checked here, read when the stage runs
            return new SftSettings(c.getString("init"), vf, c.getInt("sample-prompts"), TrainSettings.from(c));
        }
    }

    private final SftSettings settings;
    private final ChatTemplate template;
    private final Generator.Settings sampling;
    private final RunContext run;
    private final OverLong overLong;
    private final Extensions extensions;
    private final Config rawSettings;

    @Inject
    public SftStage(@Settings Config settings, Config config, RunContext run, Extensions extensions) {
        this.settings = SftSettings.from(settings);
        this.overLong = OverLong.from(settings);
        this.extensions = extensions;
        this.rawSettings = settings;
        StageInputs.check(extensions, settings, "sources"); // unknown source types fail before any stage runs
        this.template = ChatTemplate.from(config.getConfig("tokenizer"));
        this.sampling = Generator.Settings.from(config.getConfig("generate"));
        this.run = run;
    }

    @Override
    public void run(StageContext ctx) throws Exception {
        Path init = ctx.input(settings.init());
        List<Record> records = new ArrayList<>();
        StageInputs.read(ctx, extensions, rawSettings, records::add);
        List<List<Message>> all = new ArrayList<>(TrainingData.conversations(records, ctx.stage()));
        java.util.Collections.shuffle(all, new java.util.Random(run.seed("sft.split")));
        int held = Math.max(1, (int) Math.round(all.size() * settings.validationFraction()));
        if (held >= all.size()) {
            throw new StageFailure("stage " + ctx.stage() + ": " + all.size() + " conversations are too few to hold out "
                    + settings.validationFraction() + " of them");
        }
        try (HfCheckpoint.Loaded loaded = HfCheckpoint.load(init, run.device());
             Progress progress = ctx.progress("train", settings.train().steps())) {
            int context = loaded.model().config().context();
            OverLong.Tally cut = new OverLong.Tally(ctx.stage(), overLong);
            List<ChatTemplate.Encoded> train = encode(all.subList(held, all.size()), loaded, context, cut);
            List<ChatTemplate.Encoded> val = encode(all.subList(0, held), loaded, context, cut);
            cut.report(run, all.size());
            int pad = loaded.tokenizer().eosId();
            ConversationBatches trainBatches = new ConversationBatches(train, settings.train().batchSize(), context, pad);
            List<Batch> validation = new ConversationBatches(val, settings.train().batchSize(), context, pad).all();
            double before = Trainer.validationLoss(loaded.model(), validation);
            run.metrics().log(ctx.stage(), 0, Map.of("val-loss", before));
            log.info("sft: {} training and {} held-out conversations; held-out answer loss before {}", train.size(),
                    val.size(), String.format("%.4f", before));
            Trainer.Result r = new Trainer(loaded.model(), settings.train(), ctx.stage(), run.metrics(), run.seed("sft.train"))
                    .fit(trainBatches, validation, ctx.resumeDirectory(), progress);
            double stopRate = stopRate(loaded, all.subList(0, held));
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("event", "sft-finished");
            summary.put("val-loss-before", before);
            summary.put("val-loss-after", r.validationLoss());
            summary.put("val-loss-reduction", 1 - r.validationLoss() / before);
            summary.put("stop-rate", stopRate);
            run.metrics().log(ctx.stage(), r.steps(), summary);
            log.info("sft: held-out answer loss {} -> {} ({}% lower); {}% of sampled answers ended with a stop token",
                    String.format("%.4f", before), String.format("%.4f", r.validationLoss()),
                    String.format("%.1f", 100 * (1 - r.validationLoss() / before)), String.format("%.0f", 100 * stopRate));
            HfCheckpoint.save(loaded.model(), loaded.tokenizer(), ctx.staging().resolve("checkpoints/" + ctx.stage()));
        }
    }

    /**
     * The conversations encoded; one longer than the context (its ids beyond context + 1: inputs and shifted targets)
     * is handled by {@code overLong}, truncated at its end by the batches ({@link ConversationBatches}) when it keeps
     * an answer token inside the context.
     */
    private List<ChatTemplate.Encoded> encode(List<List<Message>> conversations, HfCheckpoint.Loaded loaded, int context,
                                              OverLong.Tally overLong) {
        List<ChatTemplate.Encoded> out = new ArrayList<>();
        for (List<Message> c : conversations) {
            ChatTemplate.Encoded e = template.encode(loaded.tokenizer(), c);
            boolean trainedInContext = false;
            for (int i = 1; i < Math.min(e.ids().length, context + 1); i++) {
                trainedInContext |= e.trained()[i];
            }
            if (e.ids().length > context + 1) {
                String first = c.isEmpty() ? "" : Printable.oneLine(c.get(0).content());
                String what = "a conversation (\"" + (first.length() > 40 ? first.substring(0, 40) + "…" : first) + "\")";
                if (!overLong.handle(what, e.ids().length - 1, context, trainedInContext)) {
                    continue;
                }
            }
            if (trainedInContext) {
                out.add(e);
            }
        }
        if (out.isEmpty()) {
            throw new StageFailure("no conversation has an answer token within the context of " + context + " tokens");
        }
        return out;
    }

    /** Samples an answer to the first user turn of up to sample-prompts held-out conversations. */
    private double stopRate(HfCheckpoint.Loaded loaded, List<List<Message>> held) {
        List<int[]> prompts = new ArrayList<>();
        for (List<Message> c : held.subList(0, Math.min(settings.samplePrompts(), held.size()))) {
            int firstAnswer = 0;
            while (c.get(firstAnswer).role() != Message.Role.ASSISTANT) {
                firstAnswer++;
            }
            int[] p = template.encodePrompt(loaded.tokenizer(), c.subList(0, firstAnswer));
            if (p.length < loaded.model().config().context() - 1) {
                prompts.add(p);
            }
        }
        if (prompts.isEmpty()) {
            return Double.NaN;
        }
        Generator g = new Generator(loaded.model(), loaded.tokenizer(), sampling);
        Generator.Generation out = g.generate(prompts, new SplittableRandom(run.seed("sft.samples")).nextLong(), true);
        int stopped = 0;
        for (int b = 0; b < prompts.size(); b++) {
            stopped += out.stopped()[b] ? 1 : 0;
            if (b < 3) {
                log.info("sft sample {}: {} => {}", b, Printable.oneLine(loaded.tokenizer().decode(prompts.get(b))),
                        Printable.oneLine(loaded.tokenizer().decode(out.response(b))));
            }
        }
        return (double) stopped / prompts.size();
    }
}
