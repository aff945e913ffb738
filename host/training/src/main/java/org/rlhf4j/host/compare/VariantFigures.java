package org.rlhf4j.host.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.host.report.Evaluation;
import org.rlhf4j.host.report.EvaluationFile;
import org.rlhf4j.host.report.LanguageModelFigures;
import org.rlhf4j.host.report.RunReport;

/**
 * The figures of one variant's run directory: its policy stages (a PPO stage logs reward-mean and kl per step;
 * a preference stage, {@code preference} or {@code preference#<label>}, logs a finished line with val-margin),
 * one table row each, their curves, and their held-out answers ({@code reports/<stage>-samples.jsonl}); a
 * stage's win rates come from its evaluation, read as an {@link Evaluation}. Only what the variant ran itself
 * is in its metrics.jsonl: the shared stages ran in the shared folder.
 */
final class VariantFigures {

    /** The table's columns, in order (also the CSV header). */
    static final List<String> COLUMNS = List.of("variant", "stage", "kind", "steps", "reward_heldout_sft", "reward_heldout",
            "reward_helpful_heldout_sft", "reward_helpful_heldout", "reward_dialogue_heldout_sft", "reward_dialogue_heldout",
            "reward_last_step", "kl", "kl_coef", "cost_heldout", "cost_last_step", "unsafe_share_heldout",
            "unsafe_share_cost_model", "lambda", "win_rate_vs_sft_reward_model", "win_rate_vs_sft_api_judge",
            "preference_margin", "preference_accuracy", "stage_seconds", "variant_seconds", "peak_memory_mb");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String variant;
    private final Path dir;
    private final List<String> stages;
    private final List<JsonNode> metrics;

    VariantFigures(String variant, Path dir, List<String> stages) throws IOException {
        this.variant = variant;
        this.dir = dir;
        this.stages = stages;
        this.metrics = RunReport.jsonLines(dir.resolve("metrics.jsonl"));
    }

    String variant() {
        return variant;
    }

    /** The policy stages this variant ran, in run.stages order: PPO stages first seen in metrics, preference stages. */
    List<String> policyStages() {
        List<String> out = new ArrayList<>();
        for (String stage : stages) {
            if (isPpo(stage) || finished(stage).has("val-margin")) {
                out.add(stage);
            }
        }
        return out;
    }

    private boolean isPpo(String stage) {
        return metrics.stream().anyMatch(m -> stage.equals(m.path("stage").asText()) && m.path("reward-mean").isNumber()
                && m.path("kl").isNumber());
    }

    /** One row of {@link #COLUMNS} for a policy stage; a figure that was not measured is null. */
    Map<String, Object> row(String stage) throws IOException {
        Map<String, Object> r = new LinkedHashMap<>();
        COLUMNS.forEach(c -> r.put(c, null));
        r.put("variant", variant);
        r.put("stage", stage);
        boolean ppo = isPpo(stage);
        r.put("kind", ppo ? "ppo" : "preference");
        JsonNode done = finished(stage);
        JsonNode last = null;
        double peak = Double.NaN;
        long steps = 0;
        for (JsonNode m : metrics) {
            if (stage.equals(m.path("stage").asText()) && m.path("step").asLong() >= 1 && !m.has("event")) {
                steps = Math.max(steps, m.path("step").asLong());
                if (m.has("reward-mean") || m.has("loss")) {
                    last = m;
                }
                if (m.path("peak-memory-mb").isNumber()) {
                    peak = Double.isNaN(peak) ? m.get("peak-memory-mb").asDouble() : Math.max(peak, m.get("peak-memory-mb").asDouble());
                }
            }
        }
        r.put("steps", steps);
        if (ppo) {
            r.put("reward_heldout_sft", number(done, "heldout-reward-before"));
            r.put("reward_heldout", number(done, "heldout-reward-after"));
            // the held-out prompts that are not harmful requests, and the multi-turn dialogues alone
            r.put("reward_helpful_heldout_sft", number(done, "heldout-reward-helpful-before"));
            r.put("reward_helpful_heldout", number(done, "heldout-reward-helpful-after"));
            r.put("reward_dialogue_heldout_sft", number(done, "heldout-reward-dialogue-before"));
            r.put("reward_dialogue_heldout", number(done, "heldout-reward-dialogue-after"));
            r.put("cost_heldout", number(done, "heldout-cost-after"));
            r.put("unsafe_share_heldout", number(done, "heldout-unsafe-after"));
            r.put("reward_last_step", number(last, "reward-mean"));
            r.put("kl", number(last, "kl"));
            r.put("kl_coef", number(last, "kl-coef"));
            r.put("cost_last_step", number(last, "cost-mean"));
            r.put("unsafe_share_cost_model", number(last, "unsafe-share"));
            r.put("lambda", number(last, "lambda"));
        } else {
            r.put("preference_margin", number(done, "val-margin"));
            r.put("preference_accuracy", number(done, "val-accuracy"));
        }
        if (evaluation(stage) instanceof LanguageModelFigures e && "sft".equals(e.previous())) {
            r.put("win_rate_vs_sft_reward_model", rate(e.overall(), "reward-model"));
            r.put("win_rate_vs_sft_api_judge", rate(e.overall(), "api-judge"));
            if (!ppo) {
                r.put("reward_heldout", e.overall().rewardMean());
                r.put("reward_heldout_sft", e.overall().previousRewardMean());
                r.put("cost_heldout", e.overall().costMean());
                r.put("unsafe_share_heldout", e.overall().unsafe());
            }
        }
        r.put("stage_seconds", seconds(stage));
        r.put("variant_seconds", seconds(null));
        r.put("peak_memory_mb", Double.isNaN(peak) ? null : peak);
        return r;
    }

    /** (step, value) of {@code key} per step of {@code stage}. */
    List<double[]> curve(String stage, String key) {
        List<double[]> out = new ArrayList<>();
        for (JsonNode m : metrics) {
            if (stage.equals(m.path("stage").asText()) && m.path("step").asLong() >= 1 && m.path(key).isNumber() && !m.has("event")) {
                out.add(new double[] {m.path("step").asDouble(), m.path(key).asDouble()});
            }
        }
        return out;
    }

    /** Per held-out prompt id: the sample line of the last step sampled and of step 0 (the SFT policy), in file order. */
    Map<String, JsonNode[]> samples(String stage) throws IOException {
        Map<String, JsonNode[]> out = new LinkedHashMap<>();
        for (JsonNode n : RunReport.jsonLines(dir.resolve("reports").resolve(stage + "-samples.jsonl"))) {
            JsonNode[] firstLast = out.computeIfAbsent(n.path("id").asText(), k -> new JsonNode[2]);
            if (firstLast[0] == null || n.path("step").asInt() < firstLast[0].path("step").asInt()) {
                firstLast[0] = n;
            }
            if (firstLast[1] == null || n.path("step").asInt() >= firstLast[1].path("step").asInt()) {
                firstLast[1] = n;
            }
        }
        return out;
    }

    /** Seconds of one finished stage, or of every stage the variant ran itself ({@code stage} null). */
    private Double seconds(String stage) {
        double sum = 0;
        boolean any = false;
        for (JsonNode m : metrics) {
            if ("stage-finished".equals(m.path("event").asText()) && (stage == null || stage.equals(m.path("stage").asText()))) {
                sum += m.path("seconds").asDouble();
                any = true;
            }
        }
        return any ? sum : null;
    }

    private JsonNode finished(String stage) {
        JsonNode found = JSON.createObjectNode();
        for (JsonNode m : metrics) {
            if ((stage + "-finished").equals(m.path("event").asText())) {
                found = m;
            }
        }
        return found;
    }

    /** The evaluation of the model {@code stage} trained ({@code evaluate#<stage>}), or null when the variant has none. */
    private Evaluation evaluation(String stage) throws IOException {
        return EvaluationFile.read(dir.resolve(EvaluationFile.path(stage)));
    }

    /** The win rate by the judge named {@code judge}; null when it did not judge (or judged nothing). */
    private static Double rate(LanguageModelFigures.Row overall, String judge) {
        return overall.judge(judge).map(LanguageModelFigures.JudgeRate::rate).orElse(null);
    }

    private static Double number(JsonNode n, String key) {
        return n != null && n.path(key).isNumber() ? n.get(key).asDouble() : null;
    }
}
