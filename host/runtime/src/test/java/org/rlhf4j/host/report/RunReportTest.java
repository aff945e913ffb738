package org.rlhf4j.host.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run report from a hand-made run directory: every section, the curves as SVG, model text escaped. */
class RunReportTest {

    @TempDir
    Path run;

    @Test
    void rendersEverySectionAndEscapesModelText() throws Exception {
        Files.createDirectories(run.resolve("reports"));
        Files.writeString(run.resolve("reports/evaluate-sft.json"), """
                {"stage": "evaluate#sft", "label": "sft", "model": "language model", "previous": "pretrain",
                 "overall": {"prompts": 2, "perplexity": 12.3456789, "judges": [{"judge": "reward-model", "rate": 0.25, "judged": 2}]},
                 "per-category": [{"category": "chat", "prompts": 1, "perplexity": 10.0,
                                   "judges": [{"judge": "reward-model", "rate": 0.0, "judged": 1}]},
                                  {"category": "<i>code</i>", "prompts": 1, "perplexity": 15.0,
                                   "judges": [{"judge": "reward-model", "rate": null, "judged": 0}]}],
                 "win-rates": [{"judge": "reward-model", "category": "(all)", "n": 2, "wins": 0, "losses": 1, "ties": 1, "win-rate": 0.25}],
                 "weakest": [{"category": "chat", "by": "win rate", "value": 0.0,
                              "reasons": [{"reason": "not polite", "count": 3}, {"reason": "wrong answer", "count": 1}]}]}
                """);
        Files.writeString(run.resolve("reports/evaluate-reward.json"), """
                {"stage": "evaluate#reward", "label": "reward", "model": "scored model (reward or cost)",
                 "overall": {"held-out-pairs": 2, "held-out-accuracy": 0.5, "length-correlation": 0.9},
                 "per-category": [], "weakest": [],
                 "score-vs-length": [{"length": 10, "score": 1.5, "chosen": true}, {"length": 3, "score": -0.5, "chosen": false}]}
                """);
        Files.writeString(run.resolve("metrics.jsonl"), String.join("\n",
                "{\"stage\":\"reward\",\"step\":50,\"val-accuracy\":0.75,\"loss\":0.4}",
                "{\"stage\":\"reward\",\"step\":100,\"event\":\"reward-finished\",\"val-accuracy-before\":0.5,\"val-accuracy\":0.75,\"val-margin\":0.3}",
                "{\"stage\":\"ppo\",\"step\":1,\"reward-mean\":0.1,\"kl\":0.0}",
                "{\"stage\":\"ppo\",\"step\":2,\"reward-mean\":0.3,\"kl\":0.02,\"heldout-reward\":0.2}",
                "{\"stage\":\"ppo\",\"step\":3,\"reward-mean\":0.6,\"kl\":0.05}",
                "{\"time\":1.796E9,\"stage\":\"ppo\",\"step\":3,\"event\":\"ppo-finished\",\"heldout-reward-before\":0.1,"
                        + "\"heldout-correct-before\":0.25,\"heldout-reward-after\":0.4,\"heldout-correct-after\":0.5,\"kl-bound\":10.0}",
                "{\"stage\":\"reward\",\"step\":-1,\"event\":\"stage-finished\",\"seconds\":107.3}",
                "{\"stage\":\"ppo\",\"step\":-1,\"event\":\"stage-finished\",\"seconds\":4.24}",
                "{\"stage\":\"ppo\",\"step\":4,\"reward-mean\":0.7,\"kl\":0.0", // cut short by a kill
                ""));
        Files.writeString(run.resolve("reports/ppo-samples.jsonl"), String.join("\n",
                "{\"step\":0,\"id\":\"q1\",\"prompt\":\"<b>hi</b>\",\"answer\":\"<script>alert(1)</script>\",\"score\":-1.0}",
                "{\"step\":2,\"id\":\"q1\",\"prompt\":\"<b>hi</b>\",\"answer\":\"hello & welcome\",\"score\":0.5}",
                "{\"step\":3,\"id\":\"q1\",\"prompt\":\"<b>hi</b>\",\"answer\":\"Hello, happy to help!\",\"score\":1.25}",
                ""));

        String html = RunReport.render("t", run, run.resolve(".staging"), List.of("sft", "evaluate#sft", "reward", "evaluate#reward", "ppo"));

        for (String section : List.of("Evaluation per stage", "Results per category", "Weakest categories and why",
                "Win rates against the previous stage", "Human evaluation", "Reward model", "PPO training curves",
                "Held-out prompts before and after PPO")) {
            assertTrue(html.contains("<h2>" + section), "missing section " + section);
        }
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the answer is shown as text");
        assertFalse(html.contains("<script"), "no script element in the page");
        assertTrue(html.contains("&lt;b&gt;hi&lt;/b&gt;") && html.contains("&lt;i&gt;code&lt;/i&gt;"), "prompts and categories escaped");
        assertTrue(html.contains("Hello, happy to help!"), "the answer after PPO (the last step) beside the one before");
        assertFalse(html.contains("hello &amp; welcome"), "an intermediate step is not the 'after' answer");
        assertTrue(html.contains("not polite (3); wrong answer (1)"), "the weakest category's reasons, most frequent first");
        assertTrue(html.contains("12.35"), "numbers rounded to four significant digits");
        assertEquals(5, html.split("<svg", -1).length - 1,
                "reward accuracy per step, reward-mean, kl, held-out reward and score against length");
        assertTrue(html.contains("ppo: reward-mean per step") && html.contains("ppo: kl per step"));
        assertTrue(html.contains("r = 0.9"), "the length correlation in the scatter's title");
        // a judge's win rate and count are columns of their own, from the judges' records
        assertEquals(2, html.split("<th>win rate by reward-model</th>", -1).length - 1, "the per-stage table and sft's per-category one");
        assertTrue(html.contains("<th>judged by reward-model</th>"));
        assertFalse(html.contains("<th>judges</th>"), "the judges' list is not shown as a nested table");
        assertTrue(html.contains("<td>0.25</td><td>2</td>"), "the overall rate and count of sft's row");

        // the headline: one line per stage, in run order, before the detail tables
        assertTrue(html.indexOf("<ul class=\"headline\">") < html.indexOf("<h2>Evaluation per stage"));
        assertTrue(html.contains("<li>sft: not run yet</li>"), html);
        assertTrue(html.contains("<li>evaluate#sft: 2 prompts (still running)</li>"), html);
        assertTrue(html.contains("<li>reward: 100 steps, held-out pair accuracy 0.5 \u2192 0.75 in 1 min 47 s</li>"), html);
        assertTrue(html.contains("<li>ppo: 3 steps, held-out reward 0.1 \u2192 0.4, held-out correct 0.25 \u2192 0.5 in 4.2 s</li>"), html);
        // the PPO summary is a before/after table, not the raw event
        assertFalse(html.contains("1.796E9") || html.contains("<th>time</th>"), "no raw event fields");
        assertTrue(html.contains("<tr><td>heldout-correct</td><td>0.25</td><td>0.5</td><td>0.25</td></tr>"), html);
    }

    @Test
    void aRunWithoutEvaluationsSaysSo() throws Exception {
        String html = RunReport.render("empty", run, run.resolve(".staging"), List.of("pretrain"));
        assertTrue(html.contains("No stage has been evaluated yet"));
        assertTrue(html.contains("No PPO steps in metrics.jsonl yet."));
    }
}
