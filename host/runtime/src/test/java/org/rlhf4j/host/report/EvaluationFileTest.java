package org.rlhf4j.host.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The typed evaluation files: both kinds written and read back equal, told apart by their {@code model}
 * field, judges as records (no judge name inside a key), and the metric lines the evaluate stage logs.
 */
class EvaluationFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static LanguageModelFigures.Row row(String category, Double rewardMean, List<LanguageModelFigures.JudgeRate> judges) {
        return new LanguageModelFigures.Row(category, 4, 12.5, "prompts", rewardMean, null, null, 0.25, null, 0.5, 0.75,
                6.0, 0.9, judges);
    }

    static LanguageModelFigures languageModel() {
        List<LanguageModelFigures.JudgeRate> overall = List.of(new LanguageModelFigures.JudgeRate("reward-model", 0.625, 4),
                new LanguageModelFigures.JudgeRate("api-judge", null, 0));
        Map<String, Integer> prompts = new LinkedHashMap<>();
        prompts.put("safety-sensitive", 1);
        prompts.put("chat", 3);
        return new LanguageModelFigures("evaluate#sft", "sft", "checkpoints/sft", "pretrain", List.of("chat", "safety-sensitive"),
                prompts, row(null, -0.5, overall),
                List.of(row("chat", -0.25, List.of(new LanguageModelFigures.JudgeRate("reward-model", 0.5, 3)))),
                List.of(new LanguageModelFigures.Tally("reward-model", "(all)", 4, 2, 1, 1, 0.625)),
                List.of(new Evaluation.Weakest("chat", "win rate", 0.5, List.of(new Evaluation.Reason("not polite", 2)))),
                null, List.of("no cost model"));
    }

    @Test
    void aLanguageModelsEvaluationReadsBackEqualWithItsJudgesAsRecords() throws Exception {
        Path file = dir.resolve(EvaluationFile.path("sft"));
        LanguageModelFigures written = languageModel();
        EvaluationFile.write(file, written);

        Evaluation read = EvaluationFile.read(file);
        assertEquals(written, read);
        LanguageModelFigures lm = assertInstanceOf(LanguageModelFigures.class, read);
        assertEquals(0.625, lm.overall().judge("reward-model").orElseThrow().rate());
        assertNull(lm.overall().judge("api-judge").orElseThrow().rate(), "judged nothing: no rate");
        assertTrue(lm.overall().judge("humans").isEmpty());
        assertEquals(List.of("safety-sensitive", "chat"), List.copyOf(lm.promptsPerCategory().keySet()), "the set's order");

        JsonNode n = JSON.readTree(file.toFile());
        assertEquals(List.of("stage", "label", "checkpoint", "model", "previous", "categories-required", "prompts-per-category",
                "overall", "per-category", "win-rates", "weakest", "notes"), names(n), "human-evaluation only when people judged");
        assertEquals(LanguageModelFigures.MODEL, n.get("model").asText());
        assertEquals("reward-model", n.at("/overall/judges/0/judge").asText());
        assertEquals(0.625, n.at("/overall/judges/0/rate").asDouble());
        assertEquals(4, n.at("/overall/judges/0/judged").asInt());
        assertTrue(n.at("/overall/judges/1/rate").isNull());
        assertFalse(n.get("overall").has("cost-mean"), "no cost model: no cost-mean");
        assertTrue(n.get("overall").get("correct").isNull(), "not measurable: null");
        assertEquals(0.9, n.at("/overall/distinct-2").asDouble());
        assertFalse(n.get("overall").has("category"));
        assertEquals("chat", n.at("/per-category/0/category").asText());
        assertEquals(0.625, n.at("/win-rates/0/win-rate").asDouble());
        n.get("overall").fieldNames().forEachRemaining(k -> assertFalse(k.contains(":"), "a judge name in a key: " + k));
    }

    @Test
    void aScoredModelsEvaluationIsToldApartByItsModelField() throws Exception {
        Path file = dir.resolve(EvaluationFile.path("reward"));
        ScoredModelFigures written = new ScoredModelFigures("evaluate#reward", "reward", "checkpoints/reward",
                new ScoredModelFigures.HeldOut(2, 0.5, 0.25, null, 1.0, 0.5),
                List.of(new ScoredModelFigures.CategoryAccuracy("math", 2, 0.5)),
                List.of(new Evaluation.Weakest("math", "held-out pairwise accuracy", 0.5,
                        List.of(new Evaluation.Reason("preferred the longer answer", 1)))),
                List.of(new ScoredModelFigures.ScorePoint(10, 1.5, true), new ScoredModelFigures.ScorePoint(3, -0.5, false)));
        EvaluationFile.write(file, written);

        assertEquals(written, EvaluationFile.read(file));
        JsonNode n = JSON.readTree(file.toFile());
        assertEquals(ScoredModelFigures.MODEL, n.get("model").asText());
        assertEquals(List.of("held-out-pairs", "held-out-accuracy", "mean-margin", "length-correlation",
                "longer-answer-scored-higher", "people-chose-the-longer"), names(n.get("overall")));
        assertEquals(10, n.at("/score-vs-length/0/length").asInt());
        assertNull(EvaluationFile.read(dir.resolve("reports/evaluate-none.json")), "no file: no evaluation");
    }

    @Test
    void metricLinesAreTheOverallFiguresThenEachCategorysWithTheJudgesFlattened() {
        List<Map<String, Object>> lines = languageModel().metricLines();
        assertEquals(2, lines.size());
        Map<String, Object> overall = lines.get(0);
        assertFalse(overall.containsKey("category"));
        assertEquals(0.625, overall.get("win-rate:reward-model"));
        assertEquals(4, overall.get("judged:reward-model"));
        assertFalse(overall.containsKey("win-rate:api-judge"), "no rate, no number");
        assertEquals(0, overall.get("judged:api-judge"));
        assertFalse(overall.containsKey("correct") || overall.containsKey("perplexity-on"), "numbers only: " + overall);
        assertEquals("chat", lines.get(1).get("category"));
        assertEquals(0.5, lines.get(1).get("win-rate:reward-model"));
    }

    @Test
    void aFileWithFieldsTheRecordsDoNotKnowStillReads() throws Exception {
        Path file = dir.resolve("old.json");
        Files.writeString(file, """
                {"stage": "evaluate#sft", "label": "sft", "checkpoint": "c", "model": "language model", "previous": null,
                 "overall": {"prompts": 2, "perplexity": 3.5, "distinct-2": 0.5, "win-rate:reward-model": 0.25}}
                """);
        LanguageModelFigures lm = assertInstanceOf(LanguageModelFigures.class, EvaluationFile.read(file));
        assertEquals(3.5, lm.overall().perplexity());
        assertEquals(List.of(), lm.overall().judges());
        assertEquals(List.of(), lm.perCategory());
        assertNull(lm.humanEvaluation());
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
