package org.rlhf4j.host.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

/** The reward stage through the real CLI, on a tiny seeded model and a preference a model can learn. */
public class RewardStageTest {

    private static final RunHarness RLHF = new RunHarness(CompareCommand::new, BatchCommand::new);

    static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz !?.:HAumnst";

    /** A tiny untrained "SFT" checkpoint at runDir/checkpoints/sft. */
    public static void tinyCheckpoint(Path runDir) throws Exception {
        Tokenizer tok = CharTokenizer.of(List.of(ALPHABET));
        GptConfig c = new GptConfig(tok.vocabSize(), 48, 2, 2, 32, 0.0, "gelu", 1e-5, 0.02, false);
        try (Gpt g = Gpt.initialised(c, Device.cpu(), 3)) {
            HfCheckpoint.save(g, tok, runDir.resolve("checkpoints/sft"));
        }
    }

    /** Prompt i; the chosen answer is polite ("thanks!"), the rejected one curt ("no."), two answers per prompt group. */
    public static Path preferences(Path dir, int prompts) {
        List<Record> out = new ArrayList<>();
        String[] words = {"cat", "dog", "sun", "map", "hat", "ink", "jam", "kit"};
        for (int i = 0; i < prompts; i++) {
            String prompt = "say " + words[i % words.length] + " " + words[(i / words.length) % words.length];
            out.add(new Record("p" + i, Record.Kind.PREFERENCE, "", List.of(Message.user(prompt)),
                    List.of("thanks! " + words[i % words.length], "no."), Map.of("group", "g" + i),
                    new Provenance("test", "prefs.jsonl", i + 1)));
        }
        Path f = dir.resolve("prefs.jsonl");
        RecordJsonl.write(f, out);
        return f;
    }

    @Test
    void learnsAPreferenceAndReportsHeldOutAccuracy(@TempDir Path dir) throws Exception {
        Path runDir = dir.resolve("run");
        tinyCheckpoint(runDir);
        Path prefs = preferences(dir, 40);
        Path conf = dir.resolve("rm.conf");
        Files.writeString(conf, """
                run { name = rm, seed = 5, device = cpu, stages = [reward], output = "%s" }
                tokenizer.template = deepspeed
                reward { files = ["%s"], steps = 40, batch-size = 8, learning-rate = 3e-3, warmup-steps = 5,
                         eval-interval = 20, held-out-fraction = 0.25, checkpoint-interval = 0 }
                """.formatted(runDir, prefs));
        RunHarness.Result r = RLHF.rlhf(RunHarness.noPlugins(dir), "run", conf.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.exists(runDir.resolve("checkpoints/reward/model.safetensors")));
        JsonNode finished = null;
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
            JsonNode n = new ObjectMapper().readTree(line);
            if ("reward-finished".equals(n.path("event").asText())) {
                finished = n;
            }
        }
        assertTrue(finished != null, "no reward-finished line in metrics.jsonl");
        assertEquals(1.0, finished.get("val-accuracy").asDouble(), 1e-9, "held-out pairs all ranked right: " + finished);
        assertTrue(finished.get("val-margin").asDouble() > 0.5, finished.toString());

        // The checkpoint scores through the text-level api: polite above curt on an unseen prompt.
        try (HfCheckpoint.Loaded rm = HfCheckpoint.load(runDir.resolve("checkpoints/reward"), Device.cpu())) {
            assertTrue(rm.model().config().scoreHead());
        }
    }

    @Test
    void anEmptyPreferenceSetIsNamed(@TempDir Path dir) throws Exception {
        Path runDir = dir.resolve("run");
        tinyCheckpoint(runDir);
        Path empty = dir.resolve("empty.jsonl");
        Files.writeString(empty, "");
        Path conf = dir.resolve("rm.conf");
        Files.writeString(conf, "run { name = rm, device = cpu, stages = [reward], output = \"%s\" }\nreward.files = [\"%s\"]\n"
                .formatted(runDir, empty));
        RunHarness.Result r = RLHF.rlhf(RunHarness.noPlugins(dir), "run", conf.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("stage reward") && r.err().contains("no preference pairs"), r.err());
    }

    @Test
    void anUnknownLossIsRefusedBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("rm.conf");
        Files.writeString(conf, "run { name = rm, device = cpu, stages = [reward], output = \"%s\" }\nreward.loss = pair-wise\n"
                .formatted(dir.resolve("run")));
        RunHarness.Result r = RLHF.rlhf(RunHarness.noPlugins(dir), "run", conf.toString());
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.err().contains("no PreferenceLoss extension is named 'pair-wise'"), r.err());
        assertTrue(r.err().contains("Known: pairwise"), r.err());
    }

    @Test
    void overLongPairsAreTruncatedByDefaultAndDroppedOrRefusedWhenAsked(@TempDir Path dir) throws Exception {
        Path prefs = preferences(dir, 24);
        List<Record> all = new ArrayList<>(RecordJsonl.readAll(prefs));
        String longPrompt = "say cat " + "and then the dog ran over the hill ".repeat(12);
        all.add(new Record("long-1", Record.Kind.PREFERENCE, "", List.of(Message.user(longPrompt)), List.of("thanks! cat", "no."),
                Map.of("group", "long"), new Provenance("test", "prefs.jsonl", 25)));
        RecordJsonl.write(prefs, all);
        for (String policy : List.of("truncate", "drop", "fail")) {
            Path runDir = dir.resolve("run-" + policy);
            tinyCheckpoint(runDir);
            Path conf = Files.writeString(dir.resolve(policy + ".conf"), """
                    run { name = rm, seed = 5, device = cpu, stages = [reward], output = "%s" }
                    reward { files = ["%s"], steps = 2, batch-size = 8, warmup-steps = 1, eval-interval = 2, checkpoint-interval = 0,
                             over-long = %s }
                    """.formatted(runDir, prefs, policy));
            RunHarness.Result r = RLHF.rlhf(RunHarness.noPlugins(dir), "run", conf.toString());
            if (policy.equals("fail")) {
                assertEquals(1, r.exitCode(), r.err());
                assertTrue(r.err().contains("record long-1 (prefs.jsonl:25) is ") && r.err().contains("reward.over-long = fail"), r.err());
                continue;
            }
            assertEquals(0, r.exitCode(), r.err());
            JsonNode counts = null;
            for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
                JsonNode n = new ObjectMapper().readTree(line);
                if (n.has("over-long-truncated")) {
                    counts = n;
                }
            }
            assertTrue(counts != null, "the counts are in metrics.jsonl");
            assertEquals(policy.equals("truncate") ? 1 : 0, counts.get("over-long-truncated").asInt(), policy);
            assertEquals(policy.equals("drop") ? 1 : 0, counts.get("over-long-dropped").asInt(), policy);
        }
    }
}
