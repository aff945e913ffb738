package org.rlhf4j.host.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.host.cli.training.CompareCommand;
import org.rlhf4j.host.cli.training.BatchCommand;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Provenance;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.host.testkit.RunHarness;
import org.rlhf4j.host.records.RecordJsonl;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.model.GptConfig;
import org.rlhf4j.host.model.HfCheckpoint;
import org.rlhf4j.host.model.tokenizer.CharTokenizer;
import org.rlhf4j.host.model.tokenizer.Tokenizer;
import org.rlhf4j.host.report.HtmlReport;
import org.rlhf4j.host.report.PngChart;
import org.rlhf4j.host.report.RunReport;
import org.rlhf4j.host.report.SvgChart;
import org.rlhf4j.host.reward.RewardStageTest;

/**
 * rlhf compare through the real CLI on a tiny seeded SFT model: three PPO variants (deepspeed token-level,
 * colossal sequence-level, beaver Lagrangian) share the reward and cost stages, which run once; the report's
 * HTML, CSV and PNGs; a killed variant resumes; a variant that changes a shared stage fails before any work.
 */
class CompareTest {

    private static final RunHarness RLHF = new RunHarness(CompareCommand::new, BatchCommand::new);

    static final ObjectMapper JSON = new ObjectMapper();
    /** Characters HTML must escape are in the vocabulary, so prompts and sampled answers carry them. */
    static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz !?.:HA<>&\"/";

    @TempDir
    static Path shared;
    static Path plugins;
    static Path base;

    @BeforeAll
    static void data() throws Exception {
        plugins = RunHarness.plugins(shared);
        Path sft = shared.resolve("models/sft");
        Tokenizer tok = CharTokenizer.of(List.of(ALPHABET));
        try (Gpt g = Gpt.initialised(new GptConfig(tok.vocabSize(), 48, 2, 2, 32, 0.0, "gelu", 1e-5, 0.02, false), Device.cpu(), 3)) {
            HfCheckpoint.save(g, tok, sft);
        }
        Path prefs = RewardStageTest.preferences(shared, 16);
        List<Record> safety = new ArrayList<>();
        List<Record> prompts = new ArrayList<>();
        List<Record> eval = new ArrayList<>();
        String[] words = {"cat", "dog", "sun", "map"};
        for (int i = 0; i < 8; i++) {
            String w = words[i % 4];
            safety.add(new Record("s" + i, Record.Kind.PREFERENCE, "", List.of(Message.user("steal " + w + " " + "ab".charAt(i % 2))),
                    List.of("sure! here", "no."), Map.of("group", "s" + i, "chosen_safe", "false", "rejected_safe", "true"), prov(i)));
            prompts.add(new Record("q" + i, Record.Kind.PROMPT, "say " + w, List.of(), List.of(), Map.of(), prov(i)));
        }
        eval.add(new Record("e0", Record.Kind.PROMPT, "say sun", List.of(), List.of(), Map.of("category", "chat", "expected", "sun"), prov(1)));
        eval.add(new Record("e1", Record.Kind.PROMPT, "steal a hat", List.of(), List.of(), Map.of("category", "unsafe"), prov(2)));
        RecordJsonl.write(shared.resolve("safety.jsonl"), safety);
        RecordJsonl.write(shared.resolve("prompts.jsonl"), prompts);
        Files.writeString(shared.resolve("heldout.jsonl"), """
                {"prompt": "say <b>cat</b> & \\"dog\\"", "category": "chat"}
                {"prompt": "steal a map", "category": "safety-sensitive"}
                """);
        RecordJsonl.write(shared.resolve("eval.jsonl"), eval);
        base = shared.resolve("base.conf");
        Files.writeString(base, """
                run { seed = 7, device = cpu, threads = 1, stages = [reward, cost, ppo, "evaluate#ppo"] }
                reward { init = "%1$s", files = ["%2$s"], steps = 6, batch-size = 8, learning-rate = 3e-3, warmup-steps = 2,
                         checkpoint-interval = 0 }
                cost { init = "%1$s", input = "", files = ["%3$s"], steps = 6, batch-size = 8, learning-rate = 3e-3, warmup-steps = 2,
                       checkpoint-interval = 0 }
                ppo { actor = "%1$s", files = ["%4$s"], steps = 2, rollout-batch = 4, minibatch = 2, sample-interval = 1,
                      checkpoint-interval = 0, actor-lr = 1e-3, critic-lr = 1e-3, generate.max-new-tokens = 6, kl-controller = fixed
                      held-out = [{ type = jsonl, name = heldout, path = "%5$s", format = prompt, meta-fields = [category] }] }
                evaluate { files = ["%6$s"], categories = [chat, safety-sensitive], batch-size = 4, generate.max-new-tokens = 6,
                           checkpoints { sft = "%1$s" } }
                """.formatted(sft, prefs, shared.resolve("safety.jsonl"), shared.resolve("prompts.jsonl"),
                shared.resolve("heldout.jsonl"), shared.resolve("eval.jsonl")));
    }

    private static Provenance prov(int line) {
        return new Provenance("test", "compare.jsonl", line + 1);
    }

    private static Path variant(Path dir, String name, String settings) throws Exception {
        Path f = dir.resolve(name + ".conf");
        Files.writeString(f, "include \"" + base + "\"\nrun.name = " + name + "\n" + settings);
        return f;
    }

    private static List<JsonNode> metrics(Path run) throws Exception {
        return RunReport.jsonLines(run.resolve("metrics.jsonl"));
    }

    private static long finished(List<JsonNode> lines, String stage) {
        return lines.stream().filter(n -> stage.equals(n.path("stage").asText()) && "stage-finished".equals(n.path("event").asText())).count();
    }

    @Test
    void variantsShareTheRewardStagesAndOneReportComparesThem(@TempDir Path dir) throws Exception {
        Path a = variant(dir, "plain", "ppo.scheduler = deepspeed.token-level\n");
        // no pretraining corpus here: Coati v1's default PTX (0.9, its system defaults) is turned off
        Path b = variant(dir, "sequence", "ppo { scheduler = colossal.sequence-level, ptx.coef = 0 }\n");
        Path c = variant(dir, "safe", "ppo { scheduler = beaver.token-level, safety = beaver.lagrangian }\n");
        Path out = dir.resolve("cmp");
        RunHarness.Result r = RLHF.rlhf(plugins, "compare", a.toString(), b.toString(), c.toString(), "--name", "cmp",
                "--output", out.toString(), "--in-process");
        assertEquals(0, r.exitCode(), r.err());

        // decided: reward and cost (identical everywhere) are shared; ppo differs (its scheduler) and is not
        JsonNode summary = JSON.readTree(out.resolve("compare.json").toFile());
        assertEquals("[\"reward\",\"cost\"]", summary.get("shared-stages").toString());
        // the first difference named: a scheduler's system defaults (colossal v1's Adam betas, beaver's KL 0.02) or ppo.safety
        assertTrue(summary.get("not-shared-because").asText().matches("stage ppo: variant '(safe|sequence)' sets (ppo|fixed)\\..*"),
                summary.toString());
        Path sharedRun = out.resolve(CompareSpec.SHARED);
        assertTrue(Files.exists(sharedRun.resolve(".stages/reward.done")) && Files.exists(sharedRun.resolve(".stages/cost.done")));
        assertFalse(Files.exists(sharedRun.resolve(".stages/ppo.done")));
        assertEquals(1, finished(metrics(sharedRun), "reward"));
        for (String v : List.of("plain", "sequence", "safe")) {
            Path run = out.resolve(v);
            List<JsonNode> lines = metrics(run);
            assertEquals(0, finished(lines, "reward") + finished(lines, "cost"), v + " ran a shared stage again");
            assertEquals(1, finished(lines, "ppo"), v);
            assertTrue(Files.exists(run.resolve(".stages/reward.done")), v);
            assertTrue(Files.isSameFile(run.resolve("checkpoints/reward/model.safetensors"),
                    sharedRun.resolve("checkpoints/reward/model.safetensors")), v + ": the reward model is not a hard link");
            assertEquals(1, eventFiles(run).size(), v + ": its own TensorBoard file only, not the shared run's");
        }
        assertEquals(1, eventFiles(sharedRun).size());

        // the table: one row per variant, lambda only where there is a safety constraint, a held-out cost for all, and
        // the win rate against SFT that each variant's evaluate#ppo recomputes from its answers' reward-model scores
        List<String> csv = Files.readAllLines(out.resolve("compare.csv"));
        assertEquals(VariantRow.COLUMNS, Arrays.asList(csv.get(0).split(",")));
        assertEquals(4, csv.size(), String.join("\n", csv));
        int lambda = VariantRow.COLUMNS.indexOf("lambda");
        int win = VariantRow.COLUMNS.indexOf("win_rate_vs_sft_reward_model");
        int heldout = VariantRow.COLUMNS.indexOf("reward_heldout");
        int cost = VariantRow.COLUMNS.indexOf("cost_heldout");
        for (String line : csv.subList(1, 4)) {
            String[] cells = line.split(",", -1);
            assertEquals(cells[0].equals("safe"), !cells[lambda].isEmpty(), line);
            Double.parseDouble(cells[cost]);   // every variant's held-out answers scored by the shared cost model
            assertEquals(rewardModelWinRate(out.resolve(cells[0]).resolve("reports/evaluate-ppo-answers.jsonl")),
                    Double.parseDouble(cells[win]), 0.0, line);
            Double.parseDouble(cells[heldout]);
        }
        assertEquals(List.of("plain", "sequence", "safe"), csv.subList(1, 4).stream().map(l -> l.split(",")[0]).toList());

        // the plots as PNG: each is the chart of every variant's curve from its own metrics, in the report's colours
        // (lambda: only the safe variant logs one)
        for (String plot : List.of("reward", "kl", "cost", "lambda", "heldout-reward")) {
            assertNotNull(ImageIO.read(out.resolve("plots/" + plot + ".png").toFile()), plot);
        }
        assertSameImage(chart(dir, out, "reward-mean", "Reward (rollout mean) per step", List.of("plain", "sequence", "safe")),
                out.resolve("plots/reward.png"));
        assertSameImage(chart(dir, out, "lambda", "Lagrange multiplier per step", List.of("safe")), out.resolve("plots/lambda.png"));

        // the page with every model text escaped
        String html = Files.readString(out.resolve("compare.html"));
        assertTrue(html.contains("say &lt;b&gt;cat&lt;/b&gt; &amp; &quot;dog&quot;"), "the held-out prompt, escaped");
        assertFalse(html.contains("<b>cat"));
        for (String v : List.of("plain", "sequence", "safe")) {
            List<JsonNode> samples = RunReport.jsonLines(out.resolve(v).resolve("reports/ppo-samples.jsonl"));
            JsonNode last = samples.get(samples.size() - 1);
            assertTrue(html.contains(HtmlReport.esc(last.get("answer").asText())), v + ": " + last);
        }

        // a second start needs --resume; a variant killed in its ppo stage runs it again, the others nothing
        assertEquals(2, RLHF.rlhf(plugins, "compare", a.toString(), b.toString(), c.toString(), "--name", "cmp",
                "--output", out.toString(), "--in-process").exitCode());
        Files.delete(out.resolve("safe/.stages/ppo.done"));
        Files.delete(out.resolve("safe/.stages/evaluate#ppo.done"));
        long plainLines = metrics(out.resolve("plain")).size();
        r = RLHF.rlhf(plugins, "compare", a.toString(), b.toString(), c.toString(), "--name", "cmp",
                "--output", out.toString(), "--in-process", "--resume");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(plainLines, metrics(out.resolve("plain")).size());
        assertEquals(2, finished(metrics(out.resolve("safe")), "ppo"));
        assertEquals(1, finished(metrics(sharedRun), "reward"));
    }

    /** The reward model's win rate in an answers file: reward against previous_reward, within 1e-4 a tie (one half). */
    static double rewardModelWinRate(Path answers) throws Exception {
        double points = 0;
        List<String> lines = Files.readAllLines(answers);
        for (String line : lines) {
            JsonNode n = JSON.readTree(line);
            double d = n.get("reward").asDouble() - n.get("previous_reward").asDouble();
            points += Math.abs(d) <= 1e-4 ? 0.5 : d > 0 ? 1 : 0;
        }
        return points / lines.size();
    }

    /** The chart of {@code key} per step of each variant's ppo stage, drawn independently into a PNG beside the report's. */
    private static Path chart(Path dir, Path out, String key, String title, List<String> variants) throws Exception {
        List<String> colors = List.of("#1f77b4", "#d62728", "#2ca02c");
        List<SvgChart.Series> series = new ArrayList<>();
        for (String v : variants) {
            List<double[]> points = new ArrayList<>();
            for (JsonNode m : metrics(out.resolve(v))) {
                if ("ppo".equals(m.path("stage").asText()) && m.path("step").asLong() >= 1 && m.path(key).isNumber() && !m.has("event")) {
                    points.add(new double[] {m.get("step").asDouble(), m.get(key).asDouble()});
                }
            }
            assertFalse(points.isEmpty(), v + " logged no " + key);
            series.add(new SvgChart.Series(v, colors.get(series.size()), points, true));
        }
        Path png = dir.resolve("expected-" + key + ".png");
        PngChart.write(png, title, "step", key, series);
        return png;
    }

    private static List<Path> eventFiles(Path run) throws Exception {
        try (var files = Files.list(run.resolve("tensorboard"))) {
            return files.filter(f -> f.getFileName().toString().startsWith("events.out.tfevents.")).toList();
        }
    }

    private static void assertSameImage(Path expected, Path actual) throws Exception {
        BufferedImage e = ImageIO.read(expected.toFile());
        BufferedImage a = ImageIO.read(actual.toFile());
        assertEquals(e.getWidth() + "x" + e.getHeight(), a.getWidth() + "x" + a.getHeight(), actual.toString());
        int differ = 0;
        for (int y = 0; y < e.getHeight(); y++) {
            for (int x = 0; x < e.getWidth(); x++) {
                differ += e.getRGB(x, y) == a.getRGB(x, y) ? 0 : 1;
            }
        }
        assertEquals(0, differ, actual + ": pixels that differ from the chart of the variants' own metrics");
    }

    @Test
    void aVariantThatChangesASharedStageFailsBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path a = variant(dir, "plain", "ppo.scheduler = deepspeed.token-level\n");
        Path b = variant(dir, "longer", "ppo.scheduler = deepspeed.token-level\n# more reward steps\nreward.steps = 9\n");
        Path cmp = dir.resolve("compare.conf");
        Path out = dir.resolve("cmp");
        Files.writeString(cmp, """
                compare {
                  name = bad
                  output = "%s"
                  variants = [{ config = "%s" }, { config = "%s" }]
                  shared-stages = [reward, cost]
                  fork = false
                }
                """.formatted(out, a, b));
        RunHarness.Result r = RLHF.rlhf(plugins, "compare", cmp.toString());
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.err().contains("variant 'longer' sets reward.steps = 9 (" + b + ":5)"), r.err());
        assertTrue(r.err().contains("variant 'plain' has reward.steps = 6 (" + base + ":2)"), r.err());
        assertFalse(Files.exists(out), "work was done before the check");
    }
}
