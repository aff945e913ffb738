package org.rlhf4j.host.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sections of {@link RunReport}'s page, each a heading followed by tables and charts. The evaluations are
 * typed ({@link Evaluation}); a table is their records as JSON, with a judge's win rate shown as a column of
 * its own ({@code win rate by <judge>}).
 */
final class RunReportSections {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Held-out prompts shown before and after PPO; the samples file keeps them all. */
    private static final int MAX_SAMPLES = 40;

    private final StringBuilder b;
    private final Map<String, Evaluation> evaluations;
    private final List<JsonNode> metrics;

    RunReportSections(StringBuilder b, Map<String, Evaluation> evaluations, List<JsonNode> metrics) {
        this.b = b;
        this.evaluations = evaluations;
        this.metrics = metrics;
    }

    /** One row per evaluated stage with its overall figures: language models, then scored models. */
    void perStage() {
        heading("h2", "Evaluation per stage");
        ArrayNode models = NODES.arrayNode();
        ArrayNode scored = NODES.arrayNode();
        evaluations.forEach((stage, e) -> {
            if (e instanceof LanguageModelFigures lm) {
                ObjectNode r = models.addObject().put("stage", stage);
                if (lm.previous() != null) {
                    r.put("compared with", lm.previous());
                }
                r.setAll(row(lm.overall()));
            } else if (e instanceof ScoredModelFigures s) {
                scored.addObject().put("stage", stage).setAll(JSON.<ObjectNode>valueToTree(s.overall()));
            }
        });
        if (evaluations.isEmpty()) {
            b.append("<p>No stage has been evaluated yet (list evaluate#&lt;stage&gt; in run.stages).</p>");
        }
        if (!models.isEmpty()) {
            heading("h3", "Language models");
            table(models, "");
        }
        if (!scored.isEmpty()) {
            heading("h3", "Scored models (reward, cost): held-out pairs");
            table(scored, "");
        }
    }

    void perCategory() {
        heading("h2", "Results per category");
        evaluations.forEach((stage, e) -> {
            heading("h3", stage);
            ArrayNode rows = NODES.arrayNode();
            if (e instanceof LanguageModelFigures lm) {
                lm.perCategory().forEach(r -> rows.add(row(r)));
            } else if (e instanceof ScoredModelFigures s) {
                s.perCategory().forEach(r -> rows.add(JSON.valueToTree(r)));
            }
            table(rows, "(no categories)");
        });
    }

    /** The weakest categories of each stage, each with its most frequent reasons. */
    void weakest() {
        heading("h2", "Weakest categories and why");
        evaluations.forEach((stage, e) -> {
            heading("h3", stage);
            ArrayNode rows = NODES.arrayNode();
            for (Evaluation.Weakest w : e.weakest()) {
                List<String> reasons = new ArrayList<>();
                w.reasons().forEach(r -> reasons.add(r.reason() + " (" + r.count() + ")"));
                ObjectNode r = rows.addObject().put("category", w.category()).put("ranked by", w.by());
                r.put("value", w.value());
                r.put("most frequent reasons", String.join("; ", reasons));
            }
            table(rows, "(none)");
        });
    }

    void winRates() {
        heading("h2", "Win rates against the previous stage's model");
        b.append("<p>Win rate of the evaluated model over the previous one on the same prompts; a tie counts one half.</p>");
        boolean any = false;
        for (Map.Entry<String, Evaluation> e : evaluations.entrySet()) {
            if (e.getValue() instanceof LanguageModelFigures lm && !lm.winRates().isEmpty()) {
                heading("h3", e.getKey() + " against " + lm.previous());
                table(JSON.valueToTree(lm.winRates()), "");
                any = true;
            }
        }
        if (!any) {
            b.append("<p>No comparison yet: a label needs a previous model (evaluate.previous) and a judge.</p>");
        }
    }

    /** People's blind A/B judgements: each evaluation's, and the annotate stage's export of all of them. */
    void humans(JsonNode exported) {
        heading("h2", "Human evaluation (blind A/B)");
        boolean any = false;
        for (Map.Entry<String, Evaluation> e : evaluations.entrySet()) {
            if (e.getValue() instanceof LanguageModelFigures lm && lm.humanEvaluation() != null) {
                heading("h3", e.getKey());
                table(JSON.valueToTree(lm.humanEvaluation()), "");
                any = true;
            }
        }
        if (exported != null) {
            heading("h3", "All judgements exported by the annotate stage (data/win-rates.json)");
            table(exported, "");
            any = true;
        }
        if (!any) {
            b.append("<p>No A/B tasks for people in this run (evaluate.judges.humans = false).</p>");
        }
    }

    /** A language model's row as a table row: its figures, then each judge's win rate and count as two columns. */
    static ObjectNode row(LanguageModelFigures.Row r) {
        ObjectNode n = JSON.valueToTree(r);
        n.remove("judges");
        for (LanguageModelFigures.JudgeRate j : r.judges()) {
            n.put("win rate by " + j.judge(), j.rate());
            n.put("judged by " + j.judge(), j.judged());
        }
        return n;
    }

    /** The scored models' held-out accuracy and length bias, and the reward stage's own training figures. */
    void rewardModel() {
        heading("h2", "Reward model");
        ArrayNode training = NODES.arrayNode();
        Map<String, List<double[]>> curves = new LinkedHashMap<>();
        for (JsonNode m : metrics) {
            String stage = m.path("stage").asText();
            if (m.path("event").asText().equals(stage + "-finished") && m.has("val-accuracy-before")) {
                ObjectNode r = training.addObject().put("stage", stage);
                r.set("held-out accuracy before", m.path("val-accuracy-before"));
                r.set("held-out accuracy after", m.path("val-accuracy"));
                r.set("mean margin", m.path("val-margin"));
            } else if (m.path("val-accuracy").isNumber() && !m.has("event") && m.path("step").asLong() >= 0) {
                curves.computeIfAbsent(stage, k -> new ArrayList<>()).add(new double[] {m.path("step").asDouble(), m.path("val-accuracy").asDouble()});
            }
        }
        if (!training.isEmpty()) {
            heading("h3", "While training (the stage's own held-out pairs)");
            table(training, "");
            List<SvgChart.Series> series = new ArrayList<>();
            String[] colors = {"#2a6", "#c52", "#36c", "#a3a"};
            curves.forEach((stage, pts) -> series.add(new SvgChart.Series(stage, colors[series.size() % colors.length], pts, true)));
            b.append(SvgChart.render("Held-out pairwise accuracy per step", "step", "accuracy", series));
        }
        boolean any = false;
        for (Map.Entry<String, Evaluation> e : evaluations.entrySet()) {
            if (!(e.getValue() instanceof ScoredModelFigures s)) {
                continue;
            }
            any = true;
            heading("h3", e.getKey() + ": held-out pairs through the text-level scorer");
            table(NODES.arrayNode().add(JSON.valueToTree(s.overall())), "");
            List<double[]> chosen = new ArrayList<>();
            List<double[]> rejected = new ArrayList<>();
            for (ScoredModelFigures.ScorePoint p : s.scoreVsLength()) {
                (p.chosen() ? chosen : rejected).add(new double[] {p.length(), p.score()});
            }
            Double r = s.overall().lengthCorrelation();
            b.append(SvgChart.render("Score against answer length (r = " + SvgChart.number(r == null ? Double.NaN : r) + ")",
                    "answer length (characters)", "score", List.of(new SvgChart.Series("chosen", "#2a6", chosen, false),
                            new SvgChart.Series("rejected", "#c52", rejected, false))));
        }
        if (!any && training.isEmpty()) {
            b.append("<p>No reward model evaluated yet (evaluate#reward after the reward stage).</p>");
        }
    }

    /** reward-mean and kl per step of every stage that logged both (the PPO stages). */
    void ppoCurves() {
        heading("h2", "PPO training curves");
        Map<String, Map<String, List<double[]>>> byStage = new LinkedHashMap<>();
        Map<String, JsonNode> finished = new LinkedHashMap<>();
        for (JsonNode m : metrics) {
            String stage = m.path("stage").asText();
            if (m.path("reward-mean").isNumber() && m.path("kl").isNumber() && m.path("step").asLong() >= 1) {
                Map<String, List<double[]>> curves = byStage.computeIfAbsent(stage, k -> new LinkedHashMap<>());
                for (String key : List.of("reward-mean", "kl", "heldout-reward")) {
                    if (m.path(key).isNumber()) {
                        curves.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {m.path("step").asDouble(), m.path(key).asDouble()});
                    }
                }
            }
            if (m.path("event").asText().equals(stage + "-finished") && m.has("kl-bound")) {
                finished.put(stage, m);
            }
        }
        if (byStage.isEmpty()) {
            b.append("<p>No PPO steps in metrics.jsonl yet.</p>");
        }
        byStage.forEach((stage, curves) -> {
            heading("h3", stage);
            b.append(SvgChart.render(stage + ": reward-mean per step", "step", "reward-mean",
                    List.of(new SvgChart.Series("reward-mean", "#2a6", curves.get("reward-mean"), true))));
            b.append(SvgChart.render(stage + ": kl per step", "step", "kl",
                    List.of(new SvgChart.Series("kl", "#c52", curves.get("kl"), true))));
            if (curves.containsKey("heldout-reward")) {
                b.append(SvgChart.render(stage + ": held-out reward", "step", "reward",
                        List.of(new SvgChart.Series("held-out reward", "#36c", curves.get("heldout-reward"), true))));
            }
            if (finished.containsKey(stage)) {
                heading("h4", "Held-out prompts before and after " + stage + " (kl-bound " + finished.get(stage).path("kl-bound").asText() + ")");
                table(beforeAfterFigures(finished.get(stage)), "");
            }
        });
    }

    /**
     * A {@code <stage>-finished} event's figures as rows of measure, before, after and change: each
     * {@code <key>-before} beside its {@code <key>-after}.
     */
    static ArrayNode beforeAfterFigures(JsonNode finished) {
        ArrayNode rows = NODES.arrayNode();
        finished.fieldNames().forEachRemaining(key -> {
            if (key.endsWith("-before")) {
                String measure = key.substring(0, key.length() - "-before".length());
                JsonNode before = finished.get(key);
                JsonNode after = finished.path(measure + "-after");
                ObjectNode r = rows.addObject().put("measure", measure);
                r.set("before", before);
                r.set("after", after.isMissingNode() ? NODES.nullNode() : after);
                if (before.isNumber() && after.isNumber()) {
                    r.put("change", after.asDouble() - before.asDouble());
                }
            }
        });
        return rows;
    }

    /** The same held-out prompts answered by the SFT policy (step 0) and after PPO. */
    void beforeAfter(Map<String, ArrayNode> samples) {
        heading("h2", "Held-out prompts before and after PPO");
        if (samples.isEmpty()) {
            b.append("<p>No held-out samples yet (reports/&lt;ppo stage&gt;-samples.jsonl).</p>");
        }
        samples.forEach((stage, rows) -> {
            heading("h3", stage);
            if (rows.size() > MAX_SAMPLES) {
                b.append("<p>The first ").append(MAX_SAMPLES).append(" of ").append(rows.size())
                        .append(" held-out prompts (all of them are in reports/").append(HtmlReport.esc(stage)).append("-samples.jsonl).</p>");
                ArrayNode first = NODES.arrayNode();
                for (int i = 0; i < MAX_SAMPLES; i++) {
                    first.add(rows.get(i));
                }
                rows = first;
            }
            table(rows, "(none)");
        });
    }

    private void heading(String tag, String text) {
        b.append('<').append(tag).append('>').append(HtmlReport.esc(text)).append("</").append(tag).append('>');
    }

    private void table(JsonNode n, String empty) {
        if (n == null || n.isMissingNode() || n.isNull() || n.isEmpty()) {
            b.append("<p>").append(HtmlReport.esc(empty)).append("</p>");
            return;
        }
        HtmlReport.value(b, tidy(n));
    }

    /** A copy with numbers rounded to four significant digits and nulls as empty cells. */
    static JsonNode tidy(JsonNode n) {
        if (n.isObject()) {
            ObjectNode o = NODES.objectNode();
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                o.set(e.getKey(), tidy(e.getValue()));
            }
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = NODES.arrayNode();
            n.forEach(x -> a.add(tidy(x)));
            return a;
        }
        if (n.isNull()) {
            return NODES.textNode("");
        }
        if (n.isFloatingPointNumber() && Double.isFinite(n.asDouble())) {
            return NODES.numberNode(new BigDecimal(n.asDouble()).round(new MathContext(4)).doubleValue());
        }
        return n;
    }
}
