package org.rlhf4j.host.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The top of {@link RunReport}'s page: what each stage of the run achieved, one line per stage in run order,
 * before the detail tables. A line is built from what the stage left behind: its {@code <stage>-finished}
 * event in metrics.jsonl (held-out loss, pair accuracy, held-out reward and correctness, before and after), its
 * evaluation file, its section of the data report, and its {@code stage-finished} event's seconds. A stage
 * that has not run yet says so.
 */
final class RunHeadline {

    private RunHeadline() {
    }

    /** The lines, in the order of {@code stages}. */
    static List<String> lines(List<String> stages, List<JsonNode> metrics, Map<String, Evaluation> evaluations, JsonNode data) {
        Map<String, JsonNode> finished = new LinkedHashMap<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (JsonNode m : metrics) {
            String stage = m.path("stage").asText();
            String event = m.path("event").asText();
            if (event.equals("stage-finished")) {
                seconds.put(stage, m.path("seconds").asDouble());
            } else if (event.equals(stage + "-finished")) {
                finished.put(stage, m);
            }
        }
        List<String> out = new ArrayList<>();
        for (String stage : stages) {
            List<String> parts = new ArrayList<>();
            if (evaluations.get(stage) != null) {
                parts.add(evaluation(evaluations.get(stage)));
            }
            String summary = data == null ? null : DataCharts.summary(stage, data.path(stage));
            if (summary != null) {
                parts.add(summary);
            }
            if (finished.containsKey(stage)) {
                parts.addAll(training(finished.get(stage)));
            }
            String line = stage + ": ";
            if (!seconds.containsKey(stage)) {
                line += parts.isEmpty() ? "not run yet" : String.join(", ", parts) + " (still running)";
            } else {
                line += parts.isEmpty() ? "done" : String.join(", ", parts);
                line += " in " + duration(seconds.get(stage));
            }
            out.add(line);
        }
        return out;
    }

    /** The figures of a {@code <stage>-finished} event that every trainer shares, each with its before value. */
    private static List<String> training(JsonNode e) {
        List<String> parts = new ArrayList<>();
        if (e.has("val-loss-after")) {
            parts.add(change("held-out loss", e.get("val-loss-before"), e.get("val-loss-after")));
        } else if (e.has("val-loss")) {
            parts.add("held-out loss " + number(e.get("val-loss")));
        }
        if (e.has("val-accuracy")) {
            parts.add(change("held-out pair accuracy", e.get("val-accuracy-before"), e.get("val-accuracy")));
        }
        for (String key : List.of("reward", "correct", "polite", "unsafe", "cost")) {
            if (e.has("heldout-" + key + "-after")) {
                parts.add(change("held-out " + key, e.get("heldout-" + key + "-before"), e.get("heldout-" + key + "-after")));
            }
        }
        if (e.has("step") && e.get("step").asLong() > 0) {
            parts.add(0, e.get("step").asLong() + " steps");
        }
        return parts;
    }

    private static String evaluation(Evaluation e) {
        if (e instanceof LanguageModelFigures lm) {
            LanguageModelFigures.Row r = lm.overall();
            List<String> parts = new ArrayList<>();
            parts.add(r.prompts() + " prompts");
            if (r.rewardMean() != null) {
                parts.add("reward " + SvgChart.number(r.rewardMean()));
            }
            share(parts, "polite", r.polite());
            share(parts, "correct", r.correct());
            share(parts, "unsafe", r.unsafe());
            return String.join(", ", parts);
        }
        ScoredModelFigures s = (ScoredModelFigures) e;
        return s.overall().heldOutPairs() + " held-out pairs, accuracy "
                + (s.overall().heldOutAccuracy() == null ? "-" : SvgChart.number(s.overall().heldOutAccuracy()));
    }

    private static void share(List<String> parts, String name, Double value) {
        if (value != null) {
            parts.add(name + " " + SvgChart.number(value));
        }
    }

    private static String change(String what, JsonNode before, JsonNode after) {
        return what + " " + (before == null || !before.isNumber() ? "" : number(before) + " \u2192 ") + number(after);
    }

    private static String number(JsonNode n) {
        return n.isNumber() ? SvgChart.number(n.asDouble()) : n.asText();
    }

    /** Seconds as "under 0.1 s", "4.2 s", "45 s" or "1 min 47 s". */
    static String duration(double seconds) {
        if (seconds < 0.05) {
            return "under 0.1 s";
        }
        if (seconds < 10) {
            return SvgChart.number(Math.round(seconds * 10) / 10.0) + " s";
        }
        long s = Math.round(seconds);
        return s < 60 ? s + " s" : s / 60 + " min " + s % 60 + " s";
    }
}
