package org.rlhf4j.host.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.api.stage.StageFailure;

/**
 * The run report, {@code report.html} in the run directory: one page with a headline of one line per stage
 * ({@link RunHeadline}), then the evaluation of every stage
 * ({@code reports/evaluate-<label>.json}, read as {@link Evaluation} records), per category, the weakest
 * categories and why, people's A/B results, the reward model's held-out accuracy and how its scores follow
 * answer length, the PPO curves (reward-mean and kl per step, from {@code metrics.jsonl}), and the same
 * held-out prompts answered before and after PPO ({@code reports/<ppo stage>-samples.jsonl}, step 0 being
 * the SFT policy). Every evaluate instance writes it again with what exists so far, so the last one leaves
 * the whole run's report. Tables and escaping are {@link HtmlReport}'s; every model text is escaped.
 */
public final class RunReport {

    public static final String HTML = "report.html";

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunReport() {
    }

    /** Writes report.html into the stage's staging, from the run directory and what the stage has staged. */
    public static void write(StageContext ctx, List<String> stages) {
        Path out = ctx.staging().resolve(HTML);
        try {
            Files.writeString(out, render(ctx.run().name(), ctx.run().directory(), ctx.staging(), stages), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StageFailure("cannot write the run report " + out + ": " + e.getMessage(), e);
        }
    }

    /** The page for the run in {@code runDir}; a file staged in {@code staging} wins over the published one. */
    static String render(String runName, Path runDir, Path staging, List<String> stages) throws IOException {
        Map<String, Evaluation> evaluations = new LinkedHashMap<>();
        for (String stage : stages) {
            if (stage.startsWith("evaluate#")) {
                Evaluation e = readEvaluation(staging, runDir, EvaluationFile.path(stage.substring("evaluate#".length())));
                if (e != null) {
                    evaluations.put(stage, e);
                }
            }
        }
        List<JsonNode> metrics = jsonLines(runDir.resolve("metrics.jsonl"));
        StringBuilder b = new StringBuilder(HtmlReport.head("Run report: " + runName));
        b.append("<ul class=\"headline\">");
        for (String line : RunHeadline.lines(stages, metrics, evaluations, readJson(staging, runDir, DataReport.JSON_PATH))) {
            b.append("<li>").append(HtmlReport.esc(line)).append("</li>");
        }
        b.append("</ul>");
        RunReportSections s = new RunReportSections(b, evaluations, metrics);
        s.perStage();
        s.perCategory();
        s.weakest();
        s.winRates();
        s.humans(readJson(staging, runDir, "data/win-rates.json"));
        s.rewardModel();
        s.ppoCurves();
        s.beforeAfter(samples(runDir, staging));
        return b.append(HtmlReport.FOOT).toString();
    }

    private static Evaluation readEvaluation(Path staging, Path runDir, String relative) throws IOException {
        Evaluation staged = EvaluationFile.read(staging.resolve(relative));
        return staged != null ? staged : EvaluationFile.read(runDir.resolve(relative));
    }

    private static JsonNode readJson(Path staging, Path runDir, String relative) throws IOException {
        for (Path p : List.of(staging.resolve(relative), runDir.resolve(relative))) {
            if (Files.isRegularFile(p)) {
                return JSON.readTree(p.toFile());
            }
        }
        return null;
    }

    /** Every line of a JSONL file (none when it does not exist); a line cut short by a killed run is skipped. */
    public static List<JsonNode> jsonLines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    try {
                        out.add(JSON.readTree(line));
                    } catch (IOException e) {
                        // the last line of a killed run may be incomplete
                    }
                }
            }
        }
        return out;
    }

    /**
     * The held-out samples of each PPO stage ({@code reports/<stage>-samples.jsonl}): per prompt, the answer at
     * step 0 and at the last step sampled.
     */
    static Map<String, ArrayNode> samples(Path runDir, Path staging) throws IOException {
        Map<String, ArrayNode> out = new TreeMap<>();
        for (Path dir : List.of(runDir.resolve("reports"), staging.resolve("reports"))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (var files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith("-samples.jsonl")).sorted().toList()) {
                    String stage = f.getFileName().toString().replaceFirst("-samples\\.jsonl$", "");
                    out.putIfAbsent(stage, beforeAfter(jsonLines(f)));
                }
            }
        }
        return out;
    }

    private static ArrayNode beforeAfter(List<JsonNode> lines) {
        Map<String, JsonNode> first = new LinkedHashMap<>();
        Map<String, JsonNode> last = new LinkedHashMap<>();
        for (JsonNode n : lines) {
            String id = n.path("id").asText();
            int step = n.path("step").asInt();
            if (!first.containsKey(id) || step < first.get(id).path("step").asInt()) {
                first.put(id, n);
            }
            if (!last.containsKey(id) || step >= last.get(id).path("step").asInt()) {
                last.put(id, n);
            }
        }
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        first.forEach((id, before) -> {
            JsonNode after = last.get(id);
            ObjectNode r = rows.addObject();
            r.put("prompt", before.path("prompt").asText());
            r.put("step before", before.path("step").asInt());
            r.put("answer before", before.path("answer").asText());
            r.set("score before", before.path("score"));
            r.put("step after", after.path("step").asInt());
            r.put("answer after", after.path("answer").asText());
            r.set("score after", after.path("score"));
        });
        return rows;
    }
}
