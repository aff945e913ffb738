package org.rlhf4j.host.compare;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.host.report.HtmlReport;
import org.rlhf4j.host.report.PngChart;
import org.rlhf4j.host.report.RunReport;
import org.rlhf4j.host.report.SvgChart;

/**
 * The comparison's report in its folder: {@code compare.html} (the table, the curves on shared axes, the same
 * held-out prompts answered by every variant side by side), {@code compare.csv} (the table, one row per variant
 * and policy stage) and {@code plots/<metric>.png} (each curve chart as a PNG). Every model text is escaped.
 */
final class CompareReport {

    /** A variant's run: its name, folder and run.stages. */
    record Run(String name, Path dir, List<String> stages) {
    }

    /** The curves: metric key in metrics.jsonl, file name, title. */
    private static final List<String[]> CURVES = List.of(
            new String[] {"reward-mean", "reward", "Reward (rollout mean) per step"},
            new String[] {"kl", "kl", "KL to the SFT policy per step"},
            new String[] {"cost-mean", "cost", "Cost (rollout mean) per step"},
            new String[] {"lambda", "lambda", "Lagrange multiplier per step"},
            new String[] {"heldout-reward", "heldout-reward", "Held-out reward at each sample step"});

    private static final List<String> COLORS = List.of("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
            "#e377c2", "#17becf");

    private final CompareSpec spec;
    private final SharedStages.Decision decision;
    private final List<VariantFigures> variants = new ArrayList<>();

    CompareReport(CompareSpec spec, SharedStages.Decision decision, List<Run> runs) throws IOException {
        this.spec = spec;
        this.decision = decision;
        for (Run r : runs) {
            variants.add(new VariantFigures(r.name(), r.dir(), r.stages()));
        }
    }

    /** Writes the three outputs; returns the HTML page's path. */
    Path write() throws IOException {
        List<VariantRow> rows = new ArrayList<>();
        for (VariantFigures v : variants) {
            for (String stage : v.policyStages()) {
                rows.add(v.row(stage));
            }
        }
        writeAtomically(spec.output().resolve("compare.csv"), csv(rows));
        StringBuilder b = new StringBuilder(HtmlReport.head("Comparison: " + spec.name()));
        setup(b);
        table(b, rows);
        curves(b);
        sideBySide(b);
        Path html = spec.output().resolve("compare.html");
        writeAtomically(html, b.append(HtmlReport.FOOT).toString());
        return html;
    }

    private void setup(StringBuilder b) throws IOException {
        b.append("<h2>Set-up</h2><table><tr><th>variant</th><th>run file</th><th>overrides</th><th>folder</th></tr>");
        for (int i = 0; i < variants.size(); i++) {
            CompareSpec.Variant v = spec.variants().get(i);
            b.append("<tr><td>").append(esc(v.name())).append("</td><td>").append(esc(v.config().toString())).append("</td><td>")
                    .append(esc(String.join("; ", v.sets()))).append("</td><td>").append(esc(spec.directory(v).toString()))
                    .append("</td></tr>");
        }
        b.append("</table><p>Shared stages (run once in ").append(esc(spec.sharedDirectory().toString())).append(", ")
                .append(spec.sharedStages() == null ? "decided" : "listed").append("): ")
                .append(esc(decision.stages().isEmpty() ? "none" : String.join(" \u2192 ", decision.stages())));
        double seconds = 0;
        for (JsonNode m : RunReport.jsonLines(spec.sharedDirectory().resolve("metrics.jsonl"))) {
            seconds += "stage-finished".equals(m.path("event").asText()) ? m.path("seconds").asDouble() : 0;
        }
        if (!decision.stages().isEmpty()) {
            b.append(" in ").append(esc(SvgChart.number(seconds))).append(" s");
        }
        b.append(".</p>");
        if (!decision.stopReason().isEmpty()) {
            b.append("<p>Not shared from there on: ").append(esc(decision.stopReason())).append(".</p>");
        }
        b.append("<p>Every variant ran with the same run.seed and device on the shared stages' outputs (hard links to"
                + " the shared files). ").append(spec.fork()
                ? "Each run had a JVM of its own: peak memory is the variant's own resident high-water mark."
                : "All runs shared one JVM (compare.fork = false): peak memory is the process's high-water mark so far,"
                + " so a later variant's figure includes the earlier ones'.").append("</p>");
    }

    private void table(StringBuilder b, List<VariantRow> rows) {
        b.append("<h2>Figures</h2><p>Held-out figures are measured on the same held-out prompts for every variant (by the"
                + " shared reward model, the cost model and the rule checker); win rates against the SFT model come from"
                + " evaluate#&lt;stage&gt; when the variant lists it; seconds: the policy stage's and all the variant's own"
                + " stages'. Also in compare.csv.</p><table><tr>");
        VariantRow.COLUMNS.forEach(c -> b.append("<th>").append(esc(c)).append("</th>"));
        b.append("</tr>");
        for (VariantRow r : rows) {
            b.append("<tr>");
            r.cells(SvgChart::number).forEach(cell -> b.append("<td>").append(esc(cell)).append("</td>"));
            b.append("</tr>");
        }
        b.append("</table>");
        if (rows.isEmpty()) {
            b.append("<p>No variant ran a policy stage (ppo, preference) yet.</p>");
        }
    }

    private void curves(StringBuilder b) throws IOException {
        b.append("<h2>Curves</h2><p>One chart per metric, every variant on the same axes (PNG copies in plots/).</p>");
        for (String[] curve : CURVES) {
            List<SvgChart.Series> series = new ArrayList<>();
            for (VariantFigures v : variants) {
                List<String> stages = v.policyStages();
                for (String stage : stages) {
                    List<double[]> points = v.curve(stage, curve[0]);
                    if (!points.isEmpty()) {
                        String name = stages.size() == 1 ? v.variant() : v.variant() + "/" + stage;
                        series.add(new SvgChart.Series(name, COLORS.get(series.size() % COLORS.size()), points, true));
                    }
                }
            }
            if (series.isEmpty()) {
                continue;
            }
            b.append(SvgChart.render(curve[2], "step", curve[0], series));
            PngChart.write(spec.output().resolve("plots").resolve(curve[1] + ".png"), curve[2], "step", curve[0], series);
        }
    }

    /** The first held-out prompts, answered by the SFT policy (step 0) and by every variant's last sample step. */
    private void sideBySide(StringBuilder b) throws IOException {
        Map<String, Map<String, JsonNode[]>> byVariant = new LinkedHashMap<>();
        for (VariantFigures v : variants) {
            for (String stage : v.policyStages()) {
                Map<String, JsonNode[]> s = v.samples(stage);
                if (!s.isEmpty()) {
                    byVariant.putIfAbsent(v.variant(), s);
                }
            }
        }
        b.append("<h2>Held-out prompts side by side</h2>");
        if (byVariant.isEmpty()) {
            b.append("<p>No held-out samples yet (reports/&lt;ppo stage&gt;-samples.jsonl).</p>");
            return;
        }
        Map<String, JsonNode[]> first = byVariant.values().iterator().next();
        List<String> shown = pickSamples(first, spec.samples());
        b.append("<p>").append(shown.size()).append(" of ").append(first.size())
                .append(" held-out prompts, taken in turn from single questions, multi-turn dialogues and harmful requests"
                        + " (where the held-out set has them); each answer with its reward-model score (and cost, where a cost"
                        + " model scored it). The SFT column is step 0 of the first variant: the policy every variant started"
                        + " from.</p>");
        b.append("<table><tr><th>prompt</th><th>SFT (step 0)</th>");
        byVariant.keySet().forEach(v -> b.append("<th>").append(esc(v)).append("</th>"));
        b.append("</tr>");
        for (String id : shown) {
            JsonNode[] sft = first.get(id);
            b.append("<tr><td>");
            for (JsonNode turn : sft[0].path("context")) {   // the dialogue so far, before the question answered
                b.append("<small>").append(esc(turn.asText())).append("</small><br>");
            }
            b.append(esc(sft[0].path("prompt").asText())).append("</td>");
            cell(b, sft[0]);
            for (Map<String, JsonNode[]> s : byVariant.values()) {
                cell(b, s.containsKey(id) ? s.get(id)[1] : null);
            }
            b.append("</tr>");
        }
        b.append("</table>");
    }

    /**
     * Up to {@code n} prompt ids, round robin over the kinds of held-out prompt in file order: single questions,
     * dialogues (a sample with a {@code context}) and harmful requests (category safety-sensitive).
     */
    static List<String> pickSamples(Map<String, JsonNode[]> samples, int n) {
        Map<String, List<String>> byKind = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode[]> e : samples.entrySet()) {
            JsonNode s = e.getValue()[0];
            String kind = "safety-sensitive".equals(s.path("category").asText()) ? "harmful"
                    : s.path("context").isArray() ? "dialogue" : "single";
            byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(e.getKey());
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; out.size() < n; i++) {
            boolean any = false;
            for (List<String> ids : byKind.values()) {
                if (i < ids.size() && out.size() < n) {
                    out.add(ids.get(i));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        return out;
    }

    private static void cell(StringBuilder b, JsonNode sample) {
        b.append("<td>");
        if (sample != null) {
            b.append(esc(sample.path("answer").asText())).append("<br><small>step ").append(sample.path("step").asInt())
                    .append(", score ").append(esc(SvgChart.number(sample.path("score").asDouble())));
            if (sample.path("cost").isNumber()) {
                b.append(", cost ").append(esc(SvgChart.number(sample.path("cost").asDouble())));
            }
            b.append("</small>");
        }
        b.append("</td>");
    }

    /** The table as CSV: the header, then one line per row; a cell with a comma, quote or line break is quoted. */
    static String csv(List<VariantRow> rows) {
        StringBuilder b = new StringBuilder(String.join(",", VariantRow.COLUMNS)).append('\n');
        for (VariantRow r : rows) {
            List<String> cells = new ArrayList<>();
            for (String s : r.cells(String::valueOf)) {
                cells.add(s.matches("(?s).*[\",\\n\\r].*") ? "\"" + s.replace("\"", "\"\"") + "\"" : s);
            }
            b.append(String.join(",", cells)).append('\n');
        }
        return b.toString();
    }

    private static String esc(String s) {
        return HtmlReport.esc(s);
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
