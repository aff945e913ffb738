package org.rlhf4j.host.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The evaluation of a language model (pretrain, SFT, PPO checkpoints) on the evaluation set: the model it was
 * compared with ({@code previous}, null when none), the categories the set had to cover and how many prompts
 * each had, the figures over every prompt ({@code overall}) and per category, every judge's tally against
 * the previous model, the weakest categories, people's blind A/B results when they were asked, and notes on
 * what could not be measured.
 */
@JsonPropertyOrder({"stage", "label", "checkpoint", "model"})
public record LanguageModelFigures(
        String stage,
        String label,
        String checkpoint,
        String previous,
        @JsonProperty("categories-required") List<String> categoriesRequired,
        @JsonProperty("prompts-per-category") Map<String, Integer> promptsPerCategory,
        Row overall,
        @JsonProperty("per-category") List<Row> perCategory,
        @JsonProperty("win-rates") List<Tally> winRates,
        List<Evaluation.Weakest> weakest,
        @JsonProperty("human-evaluation") @JsonInclude(JsonInclude.Include.NON_NULL) HumanEvaluation humanEvaluation,
        List<String> notes) implements Evaluation {

    /** The {@code model} field of a language model's evaluation file. */
    public static final String MODEL = "language model";

    public LanguageModelFigures {
        categoriesRequired = List.copyOf(Objects.requireNonNullElse(categoriesRequired, List.of()));
        promptsPerCategory = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNullElse(promptsPerCategory, Map.of())));
        perCategory = List.copyOf(Objects.requireNonNullElse(perCategory, List.of()));
        winRates = List.copyOf(Objects.requireNonNullElse(winRates, List.of()));
        weakest = List.copyOf(Objects.requireNonNullElse(weakest, List.of()));
        notes = List.copyOf(Objects.requireNonNullElse(notes, List.of()));
    }

    @Override
    @JsonProperty("model")
    public String model() {
        return MODEL;
    }

    @Override
    public List<Map<String, Object>> metricLines() {
        List<Map<String, Object>> lines = new ArrayList<>();
        lines.add(overall.metrics());
        perCategory.forEach(r -> lines.add(r.metrics()));
        return lines;
    }

    /** One judge's win rate over a row's prompts (null when it judged none) and how many verdicts it gave. */
    public record JudgeRate(String judge, Double rate, int judged) {
    }

    /**
     * The figures of a set of prompts: every prompt ({@code category} null) or one category's. Perplexity on
     * the reference answers or the prompts ({@code perplexityOn} says which); the mean scores of the answers by
     * the reward and cost models (null when there is no such model) and of the previous model's answers; the
     * rule judge's shares (polite, correct among prompts with an expected answer, unsafe among harmful
     * requests); the share of answers that stopped, their mean length in tokens, distinct-2; and each judge's
     * win rate against the previous model.
     */
    @JsonPropertyOrder({"category", "prompts", "perplexity", "perplexity-on", "reward-mean", "previous-reward-mean",
            "cost-mean", "polite", "correct", "unsafe", "stop-rate", "answer-tokens", "distinct-2", "judges"})
    public record Row(
            @JsonInclude(JsonInclude.Include.NON_NULL) String category,
            int prompts,
            Double perplexity,
            @JsonProperty("perplexity-on") String perplexityOn,
            @JsonProperty("reward-mean") @JsonInclude(JsonInclude.Include.NON_NULL) Double rewardMean,
            @JsonProperty("previous-reward-mean") @JsonInclude(JsonInclude.Include.NON_NULL) Double previousRewardMean,
            @JsonProperty("cost-mean") @JsonInclude(JsonInclude.Include.NON_NULL) Double costMean,
            Double polite,
            Double correct,
            Double unsafe,
            @JsonProperty("stop-rate") Double stopRate,
            @JsonProperty("answer-tokens") Double answerTokens,
            @JsonProperty("distinct-2") double distinct2,
            List<JudgeRate> judges) {

        public Row {
            judges = List.copyOf(Objects.requireNonNullElse(judges, List.of()));
        }

        /** The rate of the judge named {@code judge}; empty when it did not judge this row. */
        public Optional<JudgeRate> judge(String judge) {
            return judges.stream().filter(j -> j.judge().equals(judge)).findFirst();
        }

        /**
         * A metrics line: the figures under their file names, each judge's as {@code win-rate:<judge>} and
         * {@code judged:<judge>} (metrics are flat; nothing reads these names back), unmeasured ones left out.
         */
        Map<String, Object> metrics() {
            Map<String, Object> m = new LinkedHashMap<>();
            if (category != null) {
                m.put("category", category);
            }
            m.put("prompts", prompts);
            putFinite(m, "perplexity", perplexity);
            putFinite(m, "reward-mean", rewardMean);
            putFinite(m, "previous-reward-mean", previousRewardMean);
            putFinite(m, "cost-mean", costMean);
            putFinite(m, "polite", polite);
            putFinite(m, "correct", correct);
            putFinite(m, "unsafe", unsafe);
            putFinite(m, "stop-rate", stopRate);
            putFinite(m, "answer-tokens", answerTokens);
            m.put("distinct-2", distinct2);
            for (JudgeRate j : judges) {
                putFinite(m, "win-rate:" + j.judge(), j.rate());
                m.put("judged:" + j.judge(), j.judged());
            }
            return m;
        }
    }

    /** One judge's verdicts on one category (or on all, category {@code (all)}): counts and win rate (null when n is 0). */
    public record Tally(String judge, String category, int n, int wins, int losses, int ties,
                        @JsonProperty("win-rate") Double winRate) {
    }

    /**
     * People as the judge: the A/B tasks this instance queued, the judgements found, and the annotate
     * package's per-category win rates of those judgements (its own JSON shape, {@code comparisons} and
     * {@code weakest}, as {@code data/win-rates.json} has it).
     */
    public record HumanEvaluation(@JsonProperty("tasks-queued-now") int tasksQueuedNow, int judgements,
                                  @JsonProperty("win-rates") JsonNode winRates) {
    }

    static void putFinite(Map<String, Object> m, String key, Double value) {
        if (value != null && Double.isFinite(value)) {
            m.put(key, value);
        }
    }
}
