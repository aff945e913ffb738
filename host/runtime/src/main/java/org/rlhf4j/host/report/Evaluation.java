package org.rlhf4j.host.report;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one evaluate instance measured, as {@code reports/evaluate-<label>.json} holds it: a language model's
 * figures ({@link LanguageModelFigures}) or a scored model's ({@link ScoredModelFigures}), told apart by the
 * file's {@code model} field. The evaluate stage (in the training area) fills these records, and the run
 * report and the comparison read them back ({@link EvaluationFile}); every figure has a field of its own, so
 * no reader parses a key or casts a map. A figure that could not be measured (NaN) is null.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "model")
@JsonSubTypes({
        @JsonSubTypes.Type(value = LanguageModelFigures.class, name = LanguageModelFigures.MODEL),
        @JsonSubTypes.Type(value = ScoredModelFigures.class, name = ScoredModelFigures.MODEL)})
public sealed interface Evaluation permits LanguageModelFigures, ScoredModelFigures {

    /** The instance, {@code evaluate#<label>}. */
    String stage();

    /** The label after the {@code #}: the stage whose model was evaluated. */
    String label();

    /** The checkpoint as configured (relative to the run directory, or absolute). */
    String checkpoint();

    /** What kind of model: the file's {@code model} field, which tells the two kinds apart. */
    String model();

    /** The weakest categories, weakest first, each with its most frequent reasons. */
    List<Weakest> weakest();

    /**
     * The lines this evaluation adds to {@code metrics.jsonl}: the overall figures, then each category's with
     * its {@code category}; numbers only (an unmeasured figure is left out).
     */
    List<Map<String, Object>> metricLines();

    /** A reason and how often it was given. */
    record Reason(String reason, int count) {
    }

    /**
     * One of the weakest categories: what it was ranked by ({@code by}, in words), its value there (null when
     * not measured), and its most frequent reasons.
     */
    record Weakest(String category, String by, Double value, List<Reason> reasons) {
        public Weakest {
            reasons = List.copyOf(Objects.requireNonNullElse(reasons, List.of()));
        }
    }
}
