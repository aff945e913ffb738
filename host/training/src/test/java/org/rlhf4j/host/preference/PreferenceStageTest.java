package org.rlhf4j.host.preference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rlhf4j.host.cli.training.CompareCommand;
import org.rlhf4j.host.cli.training.BatchCommand;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.host.testkit.RunHarness;
import org.rlhf4j.host.testkit.DataTestKit;
import org.rlhf4j.host.data.JsonSource;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.model.GptConfig;
import org.rlhf4j.host.model.HfCheckpoint;
import org.rlhf4j.host.model.tokenizer.CharTokenizer;
import org.rlhf4j.host.reward.RewardStageTest;

/**
 * The preference stage through the real CLI with the colossal-style plugin's losses: DPO, SimPO and ORPO as
 * three variants of one run on LLaMA-Factory's real preference pairs (English and Chinese), a tiny
 * char-level model, the margin of each loss's implicit reward on the training pairs before and after.
 */
class PreferenceStageTest {

    private static final RunHarness RLHF = new RunHarness(CompareCommand::new, BatchCommand::new);

    /** Pairs read from the fixture; the held-out set is the same pairs, so the margin is measured on what trains. */
    private static final int PAIRS = 24;

    @ParameterizedTest
    @ValueSource(strings = {"dpo_en_demo.json", "dpo_zh_demo.json"})
    void dpoSimpoAndOrpoWidenTheMarginOnLlamaFactoryPairs(String fixture, @TempDir Path dir) throws Exception {
        Path data = DataTestKit.sharedData("llamafactory/" + fixture);
        String source = "{ type = json, path = \"%s\", format = sharegpt, limit = %d }".formatted(data, PAIRS);
        Path runDir = dir.resolve("run");
        charCheckpoint(data, runDir);
        Path conf = dir.resolve("pref.conf");
        Files.writeString(conf, """
                run { name = pref, seed = 7, device = cpu, output = "%s",
                      stages = ["preference#dpo", "preference#simpo", "preference#orpo"] }
                tokenizer.template = deepspeed
                preference { input = "", sources = [%s], held-out = [%s], steps = 30, batch-size = 4, max-length = 96,
                             learning-rate = 3e-3, min-learning-rate = 3e-4, warmup-steps = 3, eval-interval = 30,
                             eval-batches = 6, checkpoint-interval = 0 }
                preference.variants { dpo.loss = colossal.dpo, simpo.loss = colossal.simpo, orpo.loss = colossal.orpo }
                # ORPO's odds-ratio term weighs lambda = 0.1 against the chosen answers' NLL: it needs longer
                preference.variants.orpo.steps = 90
                """.formatted(runDir, source, source));
        RunHarness.Result r = RLHF.rlhf(RunHarness.plugins(dir), "run", conf.toString());
        assertEquals(0, r.exitCode(), r.err());
        Map<String, JsonNode> finished = finishedLines(runDir);
        for (String variant : List.of("dpo", "simpo", "orpo")) {
            String stage = "preference#" + variant;
            JsonNode f = finished.get(stage);
            assertTrue(f != null, "no " + stage + "-finished line in metrics.jsonl: " + finished.keySet());
            double before = f.get("val-margin-before").asDouble();
            double after = f.get("val-margin").asDouble();
            System.out.printf("%s %s: implicit-reward margin %.4f -> %.4f, accuracy %.3f -> %.3f%n", fixture, stage,
                    before, after, f.get("val-accuracy-before").asDouble(), f.get("val-accuracy").asDouble());
            assertTrue(after > before + 0.05, stage + " margin did not grow: " + f);
            assertTrue(f.get("val-accuracy").asDouble() >= 0.75, stage + " ranks too few training pairs right: " + f);
            assertTrue(Files.exists(runDir.resolve("checkpoints/" + stage + "/model.safetensors")), stage);
        }
        // DPO's policy starts as its reference: every implicit reward, and so the margin, is 0 before training
        assertEquals(0.0, finished.get("preference#dpo").get("val-margin-before").asDouble(), 1e-6);
        assertTrue(finished.get("preference#dpo").get("val-margin").asDouble() > 0.1, finished.get("preference#dpo").toString());
    }

    @Test
    void aLossThatIsNotThereIsRefusedBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("pref.conf");
        Files.writeString(conf, """
                run { name = pref, device = cpu, stages = ["preference#dpo"], output = "%s" }
                preference.variants.dpo.loss = dpo2
                """.formatted(dir.resolve("run")));
        RunHarness.Result r = RLHF.rlhf(RunHarness.plugins(dir), "run", conf.toString());
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.err().contains("no PolicyPreferenceLoss extension is named 'dpo2'"), r.err());
        assertTrue(r.err().contains("Known: colossal.dpo, colossal.orpo, colossal.simpo, dpo"), r.err());
    }

    @Test
    void aLossThatBlowsUpStopsNamingStageAndStep(@TempDir Path dir) throws Exception {
        Path runDir = dir.resolve("run");
        RewardStageTest.tinyCheckpoint(runDir);
        Path prefs = RewardStageTest.preferences(dir, 8);
        Path conf = dir.resolve("pref.conf");
        Files.writeString(conf, """
                run { name = pref, seed = 3, device = cpu, stages = ["preference#simpo"], output = "%s" }
                preference.variants.simpo.loss = colossal.simpo
                tokenizer.template = deepspeed
                preference { files = ["%s"], steps = 5, batch-size = 4, learning-rate = 1e30, min-learning-rate = 1e30,
                             warmup-steps = 0, grad-clip = 0, checkpoint-interval = 0 }
                """.formatted(runDir, prefs));
        RunHarness.Result r = RLHF.rlhf(RunHarness.plugins(dir), "run", conf.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("stage preference#simpo: the loss became") && r.err().matches("(?s).*at step [2-5].*"), r.err());
    }

    /** A tiny untrained checkpoint whose characters cover the fixture and the deepspeed template. */
    private static void charCheckpoint(Path fixture, Path runDir) throws Exception {
        List<String> texts = new ArrayList<>(List.of(" Human: Assistant: "));
        for (Record rec : DataTestKit.read(new JsonSource(), "path = \"" + fixture + "\", format = sharegpt")) {
            rec.messages().forEach(m -> texts.add(m.content()));
            texts.addAll(rec.answers());
        }
        CharTokenizer tok = CharTokenizer.of(texts);
        GptConfig c = new GptConfig(tok.vocabSize(), 96, 2, 2, 48, 0.0, "gelu", 1e-5, 0.02, false);
        try (Gpt g = Gpt.initialised(c, Device.cpu(), 11)) {
            HfCheckpoint.save(g, tok, runDir.resolve("checkpoints/sft"));
        }
    }

    private static Map<String, JsonNode> finishedLines(Path runDir) throws Exception {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
            JsonNode n = json.readTree(line);
            String event = n.path("event").asText();
            if (event.endsWith("-finished") && !event.equals("stage-finished")) {
                out.put(event.substring(0, event.length() - "-finished".length()), n);
            }
        }
        return out;
    }
}
