package org.rlhf4j.host.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.host.compare.VariantRow.Figure;
import org.rlhf4j.host.report.Evaluation;
import org.rlhf4j.host.report.EvaluationFile;
import org.rlhf4j.host.report.LanguageModelFigures;
import org.rlhf4j.host.report.RunReport;

/**
 * The figures of one variant's run directory: its policy stages (a PPO stage logs reward-mean and kl per step;
 * a preference stage, {@code preference} or {@code preference#<label>}, logs a finished line with val-margin),
 * one table row each ({@link VariantRow}), their curves, and their held-out answers
 * ({@code reports/<stage>-samples.jsonl}); a stage's win rates come from its evaluation, read as an
 * {@link Evaluation}. Only what the variant ran itself is in its metrics.jsonl: the shared stages ran in the
 * shared folder.
 */
final class VariantFigures {

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

    /** The table row of a policy stage; a figure that was not measured is left out. */
    VariantRow row(String stage) throws IOException {
        boolean ppo = isPpo(stage);
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
        Map<Figure, Double> f = new EnumMap<>(Figure.class);
        if (ppo) {
            f.put(Figure.REWARD_HELDOUT_SFT, number(done, "heldout-reward-before"));
            f.put(Figure.REWARD_HELDOUT, number(done, "heldout-reward-after"));
            // the held-out prompts that are not harmful requests, and the multi-turn dialogues alone
            f.put(Figure.REWARD_HELPFUL_HELDOUT_SFT, number(done, "heldout-reward-helpful-before"));
            f.put(Figure.REWARD_HELPFUL_HELDOUT, number(done, "heldout-reward-helpful-after"));
            f.put(Figure.REWARD_DIALOGUE_HELDOUT_SFT, number(done, "heldout-reward-dialogue-before"));
            f.put(Figure.REWARD_DIALOGUE_HELDOUT, number(done, "heldout-reward-dialogue-after"));
            f.put(Figure.COST_HELDOUT, number(done, "heldout-cost-after"));
            f.put(Figure.UNSAFE_SHARE_HELDOUT, number(done, "heldout-unsafe-after"));
            f.put(Figure.REWARD_LAST_STEP, number(last, "reward-mean"));
            f.put(Figure.KL, number(last, "kl"));
            f.put(Figure.KL_COEF, number(last, "kl-coef"));
            f.put(Figure.COST_LAST_STEP, number(last, "cost-mean"));
            f.put(Figure.UNSAFE_SHARE_COST_MODEL, number(last, "unsafe-share"));
            f.put(Figure.LAMBDA, number(last, "lambda"));
        } else {
            f.put(Figure.PREFERENCE_MARGIN, number(done, "val-margin"));
            f.put(Figure.PREFERENCE_ACCURACY, number(done, "val-accuracy"));
        }
        if (evaluation(stage) instanceof LanguageModelFigures e && "sft".equals(e.previous())) {
            f.put(Figure.WIN_RATE_VS_SFT_REWARD_MODEL, rate(e.overall(), "reward-model"));
            f.put(Figure.WIN_RATE_VS_SFT_API_JUDGE, rate(e.overall(), "api-judge"));
            if (!ppo) {
                f.put(Figure.REWARD_HELDOUT, e.overall().rewardMean());
                f.put(Figure.REWARD_HELDOUT_SFT, e.overall().previousRewardMean());
                f.put(Figure.COST_HELDOUT, e.overall().costMean());
                f.put(Figure.UNSAFE_SHARE_HELDOUT, e.overall().unsafe());
            }
        }
        f.put(Figure.STAGE_SECONDS, seconds(stage));
        f.put(Figure.VARIANT_SECONDS, seconds(null));
        f.put(Figure.PEAK_MEMORY_MB, Double.isNaN(peak) ? null : peak);
        return new VariantRow(variant, stage, ppo ? "ppo" : "preference", steps, f);
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
