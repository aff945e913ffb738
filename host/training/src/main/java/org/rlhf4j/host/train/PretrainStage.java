package org.rlhf4j.host.train;

import org.rlhf4j.host.trainer.Batch;
import org.rlhf4j.host.trainer.TokenWindows;
import org.rlhf4j.host.trainer.TrainSettings;
import org.rlhf4j.host.trainer.Trainer;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.host.records.StageInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.stage.Progress;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.model.GptConfig;
import org.rlhf4j.host.model.HfCheckpoint;
import org.rlhf4j.host.model.tokenizer.Tokenizer;
import org.rlhf4j.host.model.tokenizer.TokenizerJson;
import org.rlhf4j.host.model.tokenizer.TokenizerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pretrain}: a causal language model on the filtered corpus. Learns the tokenizer (or loads
 * {@code tokenizer.path}), builds a fresh GPT from the {@code model} block, trains it on random windows of
 * the token stream, and writes {@code checkpoints/pretrain/} in Hugging Face GPT-2 layout.
 */
@Extension
@ExtensionName("pretrain")
public final class PretrainStage implements Stage {

    private static final Logger log = LoggerFactory.getLogger(PretrainStage.class);

    /** The {@code pretrain} block. */
    record PretrainSettings(String input, List<String> files, double validationFraction, TrainSettings train) {
        static PretrainSettings from(Config c) {
            double vf = c.getDouble("validation-fraction");
            if (vf <= 0 || vf >= 1) {
                throw new ConfigProblem(c, "validation-fraction", "must be between 0 and 1, got " + vf);
            }
            return new PretrainSettings(c.getString("input"), c.getStringList("files"), vf, TrainSettings.from(c));
        }
    }

    private final PretrainSettings settings;
    private final TokenizerSettings tokenizer;
    private final Config model;
    private final RunContext run;

    private final Extensions extensions;
    private final Config rawSettings;

    @Inject
    public PretrainStage(@Settings Config settings, Config config, RunContext run, Extensions extensions) {
        this.settings = PretrainSettings.from(settings);
        this.extensions = extensions;
        this.rawSettings = settings;
        StageInputs.check(extensions, settings, "sources"); // unknown source types fail before any stage runs
        this.tokenizer = TokenizerSettings.from(config.getConfig("tokenizer"));
        this.model = config.getConfig("model");
        GptConfig.from(model, 1024);   // checks the sizes up front
        this.run = run;
    }

    @Override
    public void run(StageContext ctx) throws Exception {
        List<Path> inputs = TrainingData.inputs(ctx, settings.input(), settings.files());
        List<String> docs = new java.util.ArrayList<>(TrainingData.documents(inputs));
        StageInputs.readSources(extensions, rawSettings, "sources", r -> { // curated text that skips the filters
            if (r.kind() == org.rlhf4j.api.data.Record.Kind.DOCUMENT && !r.text().isEmpty()) {
                docs.add(r.text());
            }
        });
        if (docs.isEmpty()) {
            throw new StageFailure("stage " + ctx.stage() + ": no document records (kind \"document\") to learn from in "
                    + (inputs.isEmpty() ? "" : inputs + " ") + (rawSettings.getConfigList("sources").isEmpty() ? ""
                    : "or pretrain.sources ") + "(set pretrain.input, pretrain.files or pretrain.sources)");
        }
        Path resume = ctx.resumeDirectory();
        Path savedTokenizer = resume.resolve(HfCheckpoint.TOKENIZER);
        Tokenizer tok;
        if (ctx.resuming() && Files.isRegularFile(savedTokenizer)) {
            tok = TokenizerJson.read(savedTokenizer);
        } else {
            tok = tokenizer.build(docs);
            tok.save(savedTokenizer);
        }
        int[] tokens = stream(tok, docs);
        GptConfig config = GptConfig.from(model, tok.vocabSize());
        log.info("pretrain: {} documents, {} tokens, vocabulary {}, {} layers x {} wide", docs.size(), tokens.length,
                tok.vocabSize(), config.layers(), config.width());
        TrainSettings t = settings.train();
        TokenWindows[] split = TokenWindows.split(tokens, settings.validationFraction(), t.batchSize(), config.context());
        List<Batch> validation = new ArrayList<>();
        SplittableRandom valRng = new SplittableRandom(run.seed("pretrain.validation"));
        for (int i = 0; i < t.evalBatches(); i++) {
            validation.add(split[1].next(valRng));
        }
        try (Gpt gpt = Gpt.initialised(config, run.device(), run.seed("pretrain.init"));
             Progress progress = ctx.progress("train", t.steps())) {
            Trainer.Result r = new Trainer(gpt, t, ctx.stage(), run.metrics(), run.seed("pretrain.train"))
                    .fit(split[0], validation, resume, progress);
            HfCheckpoint.save(gpt, tok, ctx.staging().resolve("checkpoints/" + ctx.stage()));
            run.metrics().log(ctx.stage(), r.steps(), Map.of("event", "pretrain-finished", "val-loss", r.validationLoss(),
                    "parameters", gpt.parameterCount()));
            log.info("pretrain: {} steps, train loss {}, validation loss {}", r.steps(),
                    String.format("%.4f", r.trainLoss()), String.format("%.4f", r.validationLoss()));
        }
    }

    /** The corpus as one token stream, documents separated by end-of-text. */
    static int[] stream(Tokenizer tok, List<String> docs) {
        List<int[]> parts = new ArrayList<>();
        int n = 0;
        for (String d : docs) {
            int[] ids = tok.encode(d);
            parts.add(ids);
            n += ids.length + 1;
        }
        int[] out = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
            out[at++] = tok.eosId();
        }
        return out;
    }
}
