package org.rlhf4j.host.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The evaluation of a scored model (a reward or cost checkpoint) on the pairs its training held out: pairwise
 * accuracy and margin overall, how its scores follow answer length, accuracy per category, the weakest
 * categories, and (up to a few hundred) answers as points of score against length for the scatter.
 */
@JsonPropertyOrder({"stage", "label", "checkpoint", "model"})
public record ScoredModelFigures(
        String stage,
        String label,
        String checkpoint,
        HeldOut overall,
        @JsonProperty("per-category") List<CategoryAccuracy> perCategory,
        List<Evaluation.Weakest> weakest,
        @JsonProperty("score-vs-length") List<ScorePoint> scoreVsLength) implements Evaluation {

    /** The {@code model} field of a scored model's evaluation file. */
    public static final String MODEL = "scored model (reward or cost)";

    public ScoredModelFigures {
        perCategory = List.copyOf(Objects.requireNonNullElse(perCategory, List.of()));
        weakest = List.copyOf(Objects.requireNonNullElse(weakest, List.of()));
        scoreVsLength = List.copyOf(Objects.requireNonNullElse(scoreVsLength, List.of()));
    }

    @Override
    @JsonProperty("model")
    public String model() {
        return MODEL;
    }

    @Override
    public List<Map<String, Object>> metricLines() {
        List<Map<String, Object>> lines = new ArrayList<>();
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("held-out-pairs", overall.heldOutPairs());
        LanguageModelFigures.putFinite(all, "held-out-accuracy", overall.heldOutAccuracy());
        LanguageModelFigures.putFinite(all, "mean-margin", overall.meanMargin());
        LanguageModelFigures.putFinite(all, "length-correlation", overall.lengthCorrelation());
        LanguageModelFigures.putFinite(all, "longer-answer-scored-higher", overall.longerAnswerScoredHigher());
        LanguageModelFigures.putFinite(all, "people-chose-the-longer", overall.peopleChoseTheLonger());
        lines.add(all);
        for (CategoryAccuracy c : perCategory) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("category", c.category());
            line.put("held-out-pairs", c.heldOutPairs());
            LanguageModelFigures.putFinite(line, "held-out-accuracy", c.heldOutAccuracy());
            lines.add(line);
        }
        return lines;
    }

    /**
     * Over every held-out pair: how many, the share whose chosen answer scored strictly higher, the mean margin
     * (chosen minus rejected), Pearson's r of score and answer length over every answer, and among pairs whose
     * answers differ in length the share where the longer one scored higher beside the share where people
     * chose the longer one.
     */
    public record HeldOut(@JsonProperty("held-out-pairs") int heldOutPairs,
                          @JsonProperty("held-out-accuracy") Double heldOutAccuracy,
                          @JsonProperty("mean-margin") Double meanMargin,
                          @JsonProperty("length-correlation") Double lengthCorrelation,
                          @JsonProperty("longer-answer-scored-higher") Double longerAnswerScoredHigher,
                          @JsonProperty("people-chose-the-longer") Double peopleChoseTheLonger) {
    }

    /** One category's held-out pairs and the share the model ranked right. */
    public record CategoryAccuracy(String category, @JsonProperty("held-out-pairs") int heldOutPairs,
                                   @JsonProperty("held-out-accuracy") Double heldOutAccuracy) {
    }

    /** One held-out answer: its length in characters, its score, and whether it was the chosen one. */
    public record ScorePoint(int length, double score, boolean chosen) {
    }
}
