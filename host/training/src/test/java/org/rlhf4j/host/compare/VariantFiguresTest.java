package org.rlhf4j.host.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.host.compare.VariantRow.Figure;
import org.rlhf4j.host.report.EvaluationFile;
import org.rlhf4j.host.report.LanguageModelFigures;
import org.rlhf4j.host.report.LanguageModelFigures.JudgeRate;
import org.rlhf4j.host.report.LanguageModelFigures.Row;

/**
 * A variant's table rows from a hand-made run directory: a PPO stage's figures from its metrics, a preference
 * stage's from its finished line and its typed evaluation, whose judges' win rates are found by judge name;
 * the CSV of those rows cell by cell.
 */
class VariantFiguresTest {

    @TempDir
    Path run;

    private static Row overall(Double rewardMean, List<JudgeRate> judges) {
        return new Row(null, 4, 9.5, "prompts", rewardMean, -0.5, 0.125, 0.5, null, 0.25, 1.0, 5.0, 0.8, judges);
    }

    private void evaluation(String label, String previous, Row overall) throws Exception {
        EvaluationFile.write(run.resolve(EvaluationFile.path(label)), new LanguageModelFigures("evaluate#" + label, label,
                "checkpoints/" + label, previous, List.of(), null, overall, List.of(), List.of(), List.of(), null, List.of()));
    }

    @Test
    void rowsTakeEachJudgesWinRateByNameFromTheTypedEvaluation() throws Exception {
        Files.writeString(run.resolve("metrics.jsonl"), String.join("\n",
                "{\"stage\":\"ppo\",\"step\":1,\"reward-mean\":0.1,\"kl\":0.0,\"kl-coef\":0.1}",
                "{\"stage\":\"ppo\",\"step\":2,\"reward-mean\":0.3,\"kl\":0.02,\"kl-coef\":0.1,\"peak-memory-mb\":512.0}",
                "{\"stage\":\"ppo\",\"step\":2,\"event\":\"ppo-finished\",\"heldout-reward-before\":0.2,\"heldout-reward-after\":0.4}",
                "{\"stage\":\"ppo\",\"event\":\"stage-finished\",\"seconds\":3.5}",
                "{\"stage\":\"preference\",\"step\":1,\"loss\":0.6}",
                "{\"stage\":\"preference\",\"step\":4,\"event\":\"preference-finished\",\"val-margin\":0.75,\"val-accuracy\":0.5}",
                "{\"stage\":\"preference\",\"event\":\"stage-finished\",\"seconds\":1.5}", ""));
        // ppo: the api-judge judged nothing (no rate); preference: both judges, the reward model listed second
        evaluation("ppo", "sft", overall(0.9, List.of(new JudgeRate("api-judge", null, 0), new JudgeRate("reward-model", 0.625, 8))));
        evaluation("preference", "sft", overall(0.25, List.of(new JudgeRate("api-judge", 0.375, 8), new JudgeRate("reward-model", 0.75, 8))));
        evaluation("other", "pretrain", overall(0.25, List.of(new JudgeRate("reward-model", 0.75, 8))));

        VariantFigures v = new VariantFigures("plain", run, List.of("sft", "ppo", "preference", "other"));
        assertEquals(List.of("ppo", "preference"), v.policyStages());

        VariantRow ppo = v.row("ppo");
        assertEquals("ppo", ppo.kind());
        assertEquals(2, ppo.steps());
        assertEquals(0.625, ppo.figure(Figure.WIN_RATE_VS_SFT_REWARD_MODEL));
        assertNull(ppo.figure(Figure.WIN_RATE_VS_SFT_API_JUDGE), "judged nothing: an empty cell");
        assertEquals(0.4, ppo.figure(Figure.REWARD_HELDOUT), "a PPO stage's held-out reward is its own, not the evaluation's");
        assertEquals(0.02, ppo.figure(Figure.KL));
        assertEquals(512.0, ppo.figure(Figure.PEAK_MEMORY_MB));
        assertEquals(5.0, ppo.figure(Figure.VARIANT_SECONDS));

        VariantRow preference = v.row("preference");
        assertEquals("preference", preference.kind());
        assertEquals(0.75, preference.figure(Figure.WIN_RATE_VS_SFT_REWARD_MODEL));
        assertEquals(0.375, preference.figure(Figure.WIN_RATE_VS_SFT_API_JUDGE));
        assertEquals(0.25, preference.figure(Figure.REWARD_HELDOUT), "a preference stage's held-out figures are its evaluation's");
        assertEquals(-0.5, preference.figure(Figure.REWARD_HELDOUT_SFT));
        assertEquals(0.25, preference.figure(Figure.UNSAFE_SHARE_HELDOUT));
        assertEquals(0.75, preference.figure(Figure.PREFERENCE_MARGIN));

        List<String> csv = CompareReport.csv(List.of(ppo, preference)).lines().toList();
        assertEquals(String.join(",", VariantRow.COLUMNS), csv.get(0));
        assertEquals("plain,ppo,ppo,2,0.2,0.4,,,,,0.3,0.02,0.1,,,,,,0.625,,,,3.5,5.0,512.0", csv.get(1));
        assertEquals("plain,preference,preference,1,-0.5,0.25,,,,,,,,0.125,,0.25,,,0.75,0.375,0.75,0.5,1.5,5.0,", csv.get(2));
        assertEquals(VariantRow.COLUMNS.size(), ppo.cells(String::valueOf).size());
    }
}
