package org.rlhf4j.host.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.annotate.Annotator;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.host.annotate.settings.AnnotateSettings;
import org.rlhf4j.host.annotate.quality.PromptScreening;
import org.rlhf4j.host.classify.CategoryLabels;
import org.rlhf4j.host.records.StageInputs;
import org.rlhf4j.host.model.GptConfig;
import org.rlhf4j.host.model.HfCheckpoint;
import org.rlhf4j.host.model.tokenizer.ChatTemplate;
import org.rlhf4j.host.report.Evaluation;
import org.rlhf4j.host.report.EvaluationFile;
import org.rlhf4j.host.report.LanguageModelFigures;
import org.rlhf4j.host.report.RunReport;
import org.rlhf4j.host.reward.LearnedRewardModel;
import org.rlhf4j.host.run.Closeables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code evaluate}: human-style evaluation after a stage, listed once per model as {@code evaluate#<label>}
 * ({@code evaluate#pretrain}, {@code evaluate#sft}, {@code evaluate#reward}, {@code evaluate#ppo}); the label
 * picks the checkpoint ({@code checkpoints/<label>} unless {@code evaluate.checkpoints} says otherwise).
 *
 * <p>A language model is evaluated on the evaluation set, which must cover every category
 * ({@link EvalSet#requireCoverage}): perplexity, the reward and cost models' scores of its answers, the
 * rule judge's checks, and its win rate against the previous stage's model ({@code evaluate.previous}) by
 * the reward model, the configured annotators (the API judge) and people (blind A/B tasks queued in the
 * annotation store), per category, with the weakest categories and their most frequent reasons
 * ({@link LanguageModelEvaluation}). A scored model (reward, cost) is evaluated on the pairs its training
 * held out ({@link ScoredModelEvaluation}).
 *
 * <p>Writes {@code reports/evaluate-<label>.json} (an {@link Evaluation}: {@link LanguageModelFigures} or
 * {@link org.rlhf4j.host.report.ScoredModelFigures}, through {@link EvaluationFile}),
 * {@code reports/evaluate-<label>-answers.jsonl} and the run report {@code report.html}, which every instance
 * rewrites with all evaluations so far, so the last one leaves the complete report ({@link RunReport}). The
 * overall figures and each category's also go to the metrics ({@link Evaluation#metricLines}, step -1;
 * per-category lines carry {@code category}).
 *
 * <p>The annotators it judges and screens with are created with the stage and closed when its run ends; the reward
 * and cost models it scores with are loaded, and closed, by the run itself.
 */
@Extension
@ExtensionName("evaluate")
public final class EvaluateStage implements Stage {

    private static final Logger log = LoggerFactory.getLogger(EvaluateStage.class);
    private static final ObjectMapper LINES = new ObjectMapper();

    private final EvaluateSettings settings;
    private final Config rawSettings;
    private final Config config;
    private final Extensions extensions;
    private final ChatTemplate template;
    private final CategoryLabels labels;
    private final List<String> required;
    private final List<String> annotatorNames;
    private final List<Annotator> annotators;
    private final AnnotateSettings annotate;
    private final PromptScreening screening;
    /** Every annotator this stage created (judges and safety screening), closed when its run ends. */
    private final List<Annotator> owned = new ArrayList<>();
    private final RunContext run;

    @Inject
    public EvaluateStage(@Settings Config settings, Config config, Extensions extensions, RunContext run) {
        this.settings = EvaluateSettings.from(settings);
        this.rawSettings = settings;
        StageInputs.check(extensions, settings, "sources"); // unknown source types fail before any stage runs
        this.config = config;
        this.extensions = extensions;
        this.template = ChatTemplate.from(config.getConfig("tokenizer"));
        this.labels = new CategoryLabels(config.getConfig("classify"));
        this.required = this.settings.categories().isEmpty() ? labels.categories() : this.settings.categories();
        if (config.getStringList("run.stages").contains("evaluate")) {
            throw new ConfigProblem(config, "run.stages", "list evaluate once per model with the label of the stage whose"
                    + " model it evaluates: evaluate#pretrain, evaluate#sft, evaluate#reward, evaluate#ppo");
        }
        this.annotatorNames = settings.getStringList("judges.annotators");
        this.annotators = extensions.selectAll(Annotator.class, "evaluate.judges.annotators");
        owned.addAll(annotators);
        if (this.settings.humans()) {
            this.annotate = AnnotateSettings.from(config.getConfig("annotate"));
            List<Annotator> safety = extensions.selectAll(Annotator.class, "annotate.screening.safety-annotators");
            owned.addAll(safety);
            this.screening = new PromptScreening(safety, annotate.instructionCheck());
        } else {
            this.annotate = null;
            this.screening = null;
        }
        this.run = run;
    }

    @Override
    public void run(StageContext ctx) throws Exception {
        try (AutoCloseable annotatorsClosed = Closeables.all(owned)) {
            evaluate(ctx);
        }
    }

    private void evaluate(StageContext ctx) throws Exception {
        String label = ctx.stage().substring(ctx.stage().indexOf('#') + 1);
        Path checkpoint = ctx.input(settings.checkpoint(label));
        boolean scored = GptConfig.readHf(checkpoint.resolve(HfCheckpoint.CONFIG)).scoreHead();
        Evaluation evaluation = scored
                ? new ScoredModelEvaluation(template, labels, extensions, run).evaluate(ctx, label, settings.checkpoint(label),
                        checkpoint, config, settings.batchSize(), settings.weakest(), settings.reasons())
                : evaluateLanguageModel(ctx, label, checkpoint);
        List<Map<String, Object>> lines = evaluation.metricLines();
        lines.forEach(line -> run.metrics().log(ctx.stage(), -1, line));
        EvaluationFile.write(ctx.staging().resolve(EvaluationFile.path(label)), evaluation);
        RunReport.write(ctx, config.getStringList("run.stages"));
        log.info("{}: {}", ctx.stage(), lines.get(0));
    }

    private LanguageModelFigures evaluateLanguageModel(StageContext ctx, String label, Path checkpoint) throws Exception {
        List<String> notes = new ArrayList<>();
        List<Record> records = new ArrayList<>();
        StageInputs.read(ctx, extensions, rawSettings, records::add);
        EvalSet set = EvalSet.of(records, labels, ctx.stage());
        set.requireCoverage(required, settings.minPerCategory(), ctx.stage());
        set = set.capped(settings.maxPerCategory());

        String previousLabel = settings.previous().get(label);
        LanguageModelEvaluation.Previous previous = null;
        if (previousLabel != null) {
            Path p = existing(ctx, settings.checkpoint(previousLabel));
            if (p == null) {
                notes.add("no checkpoint " + settings.checkpoint(previousLabel) + " of the previous model '" + previousLabel
                        + "': no win rates");
            } else {
                previous = new LanguageModelEvaluation.Previous(previousLabel, p);
            }
        }
        Path rewardPath = existing(ctx, settings.rewardModel());
        Path costPath = existing(ctx, settings.costModel());
        if (rewardPath == null) {
            notes.add("no reward model at " + settings.rewardModel() + " (yet): no reward scores and no reward-model judge");
        }
        List<PairJudge> judges = new ArrayList<>();
        for (int i = 0; i < annotators.size(); i++) {
            judges.add(new AnnotatorJudge(annotatorNames.get(i), annotators.get(i), label, run.seed("evaluate.order." + label)));
        }
        HumanJudge humans = null;
        if (settings.humans() && previous != null) {
            humans = new HumanJudge(annotate.jdbcUrl(run.directory()), screening, label, previousLabel);
            judges.add(humans);
        }
        LanguageModelEvaluation.Outcome o;
        try (LearnedRewardModel reward = rewardPath == null ? null
                     : new LearnedRewardModel(rewardPath.toString(), settings.batchSize(), template, run);
             LearnedRewardModel cost = costPath == null ? null
                     : new LearnedRewardModel(costPath.toString(), settings.batchSize(), template, run)) {
            o = new LanguageModelEvaluation(settings, template, run, ctx.stage()).evaluate(checkpoint, previous, set, reward, cost, judges);
        }
        writeAnswers(ctx.staging().resolve("reports/evaluate-" + label + "-answers.jsonl"), o);
        LanguageModelReport r = new LanguageModelReport(o);
        LanguageModelFigures.HumanEvaluation people = humans == null ? null : new LanguageModelFigures.HumanEvaluation(
                humans.queued(), o.verdicts().get(humans.name()).size(), humans.winRates());
        return new LanguageModelFigures(ctx.stage(), label, settings.checkpoint(label), previous == null ? null : previous.label(),
                required, set.counts(), r.overall(), r.perCategory(), r.winRates(), r.weakest(settings.weakest(), settings.reasons()),
                people, notes);
    }

    /** Every prompt with both models' answers, scores, the rule judge's problems and each judge's verdicts. */
    private static void writeAnswers(Path file, LanguageModelEvaluation.Outcome o) throws Exception {
        Map<Integer, ObjectNode> verdicts = new LinkedHashMap<>();
        o.verdicts().forEach((judge, list) -> list.forEach(v -> {
            ObjectNode n = verdicts.computeIfAbsent(v.pair(), k -> LINES.createObjectNode());
            n.withArray(judge).addObject().put("winner", v.winner().name().toLowerCase()).put("reasons", String.join("; ", v.reasons()));
        }));
        Files.createDirectories(file.getParent());
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < o.items().size(); i++) {
                EvalSet.Item item = o.items().get(i);
                ObjectNode line = LINES.createObjectNode().put("id", item.id()).put("category", item.category())
                        .put("prompt", item.prompt()).put("answer", o.answers().get(i).text())
                        .put("stopped", o.answers().get(i).stopped());
                if (o.rewards() != null) {
                    line.put("reward", o.rewards()[i]);
                }
                if (o.costs() != null) {
                    line.put("cost", o.costs()[i]);
                }
                line.putPOJO("problems", LanguageModelEvaluation.problems(item, o.answers().get(i)));
                if (o.previousAnswers() != null) {
                    line.put("previous_answer", o.previousAnswers().get(i).text());
                    if (o.previousRewards() != null) {
                        line.put("previous_reward", o.previousRewards()[i]);
                    }
                    line.set("verdicts", verdicts.getOrDefault(i, LINES.createObjectNode()));
                }
                out.write(LINES.writeValueAsString(line));
                out.newLine();
            }
        }
    }

    /** A folder named relative to the run directory (or absolute), or null when it does not exist. */
    private static Path existing(StageContext ctx, String path) {
        return ctx.inputIfPresent(path).filter(Files::isDirectory).orElse(null);
    }
}
