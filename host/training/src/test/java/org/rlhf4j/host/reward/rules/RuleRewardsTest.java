package org.rlhf4j.host.reward.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.reward.PromptAnswer;
import org.rlhf4j.api.reward.Reward;
import org.rlhf4j.api.reward.RewardModel;
import org.rlhf4j.host.reward.AnswerFailure;
import org.rlhf4j.host.testkit.DataTestKit;

class RuleRewardsTest {

    private static PromptAnswer pa(String answer, String expected) {
        return new PromptAnswer("q", answer, expected == null ? Map.of() : Map.of("expected", expected), List.of());
    }

    private static List<Double> scores(RewardModel m, PromptAnswer... items) throws Exception {
        return m.score(List.of(items)).stream().map(Reward::score).toList();
    }

    @Test
    void correctnessScoresCorrectAndWrong() throws Exception {
        RuleCorrectness r = new RuleCorrectness(DataTestKit.settings("rule-correctness", "rule-correctness { correct-score = 2, wrong-score = -1 }"));
        assertEquals(List.of(2.0, -1.0, 2.0, 2.0), scores(r, pa("5 plus 7 is 12.", "12"), pa("5 plus 7 is 112.", "12"),
                pa("答案是C", "C"), pa("九加四等于十三。", "十三")));
    }

    @Test
    void aMissingExpectedAnswerFailsNamingTheItemOrIsSkipped() throws Exception {
        RuleCorrectness strict = new RuleCorrectness(DataTestKit.settings("rule-correctness", ""));
        AnswerFailure f = assertThrows(AnswerFailure.class, () -> strict.score(List.of(pa("12", "12"), pa("12", null))));
        assertEquals(1, f.index());
        assertTrue(f.getMessage().contains("no meta.expected"), f.getMessage());
        RuleCorrectness lenient = new RuleCorrectness(DataTestKit.settings("rule-correctness", "rule-correctness.missing-expected = skip"));
        assertEquals(List.of(1.0, 0.0, 0.0), scores(lenient, pa("12", "12"), pa("12", null), pa("12", " ")));
        assertEquals(2, lenient.skipped());
    }

    @Test
    void badSettingsAreConfigProblemsNamingTheKey() {
        ConfigProblem mode = assertThrows(ConfigProblem.class,
                () -> new RuleCorrectness(DataTestKit.settings("rule-correctness", "rule-correctness.mode = fuzzy")));
        assertTrue(mode.getMessage().startsWith("mode (") && mode.getMessage().contains("exact, numeric, choice, auto"), mode.getMessage());
        ConfigProblem nan = assertThrows(ConfigProblem.class,
                () -> new RuleCorrectness(DataTestKit.settings("rule-correctness", "rule-correctness.correct-score = NaN")));
        assertTrue(nan.getMessage().startsWith("correct-score ("), nan.getMessage());
        ConfigProblem tag = assertThrows(ConfigProblem.class,
                () -> new RuleCorrectness(DataTestKit.settings("rule-correctness", "rule-correctness.tags = [\"<a>.*</a>\"]")));
        assertTrue(tag.getMessage().contains("has no group"), tag.getMessage());
    }

    @Test
    void formatAndLength() throws Exception {
        RuleFormat format = new RuleFormat(DataTestKit.settings("rule-format", "rule-format.miss-score = -0.5"));
        assertEquals(List.of(1.0, -0.5), scores(format, pa("<answer>12</answer>", null), pa("12", null)));
        RuleLength chars = new RuleLength(DataTestKit.settings("rule-length", "rule-length { unit = chars, target = 3, coef = 0.5 }"));
        assertEquals(List.of(-0.0, -1.0, -0.0), scores(chars, pa("abc", null), pa("abcde", null), pa("一", null)));
        RuleLength tokens = new RuleLength(DataTestKit.settings("rule-length", "rule-length { target = 1, coef = 1 }"));
        assertEquals(List.of(-2.0), tokens.score(List.of(new PromptAnswer("q", "abc", Map.of(), List.of("a", "b", "c"))))
                .stream().map(Reward::score).toList());
        assertThrows(AnswerFailure.class, () -> tokens.score(List.of(pa("abc", null))));
    }

    @Test
    void compositeSumsWeightedPartsAndClosesThem() throws Exception {
        Config config = DataTestKit.config("""
                composite-reward.parts = [{ reward = rule-correctness, weight = 2.0 }, { reward = test-counting-reward, weight = 0.1 },
                                          { reward = test-counting-reward, weight = -0.1 }, { reward = rule-format, weight = 0.5 }]
                """);
        CountingReward.CLOSED.set(0);
        RewardModel composite = DataTestKit.extensions(config).create(RewardModel.class, "composite-reward");
        List<Double> got = scores(composite, pa("<answer>12</answer>", "12"), pa("13", "12"));
        assertEquals(2.0 * 1 + 0.5 * 1, got.get(0), 1e-9, "weights: correct and formatted; the two length parts cancel");
        assertEquals(0.0, got.get(1), 1e-9);
        composite.close();
        assertEquals(2, CountingReward.CLOSED.get(), "both counting parts closed");
    }

    @Test
    void compositeRefusesBadPartsNamingThem() {
        ConfigProblem nan = assertThrows(ConfigProblem.class, () -> DataTestKit.extensions(DataTestKit.config(
                "composite-reward.parts = [{ reward = rule-format, weight = NaN }]")).create(RewardModel.class, "composite-reward"));
        assertTrue(nan.getMessage().contains("composite-reward.parts") && nan.getMessage().contains("weight NaN"), nan.getMessage());
        ConfigProblem unknown = assertThrows(ConfigProblem.class, () -> DataTestKit.extensions(DataTestKit.config(
                "composite-reward.parts = [{ reward = rule-corectness, weight = 1 }]")).create(RewardModel.class, "composite-reward"));
        assertTrue(unknown.getMessage().contains("no RewardModel extension is named 'rule-corectness'")
                && unknown.getMessage().contains("rule-correctness") && unknown.getMessage().contains("learned-reward"), unknown.getMessage());
    }
}
