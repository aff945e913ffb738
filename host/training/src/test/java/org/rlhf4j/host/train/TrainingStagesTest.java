package org.rlhf4j.host.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.MetricsSink;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.stage.Progress;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.records.RecordJsonl;
import org.rlhf4j.host.model.HfCheckpoint;

/** pretrain then sft, as the pipeline runs them, on a tiny model and tiny bilingual data. */
class TrainingStagesTest {

    static Config config(String overrides) {
        return ConfigFactory.parseString("""
                model { layers = 1, heads = 2, width = 16, context = 48, dropout = 0.1 }
                tokenizer { type = bpe, vocab-size = 300 }
                generate { max-new-tokens = 8 }
                pretrain { input = "data/filtered.jsonl", steps = 6, batch-size = 4, warmup-steps = 2, eval-interval = 3,
                           eval-batches = 2, checkpoint-interval = 3 }
                sft { input = "data/splits/sft.jsonl", steps = 6, batch-size = 4, warmup-steps = 2, eval-interval = 3,
                      checkpoint-interval = 3, sample-prompts = 3, validation-fraction = 0.25 }
                """ + overrides).withFallback(ConfigFactory.defaultReference()).resolve();
    }

    record Run(Path dir, List<Map<String, ?>> lines) implements RunContext {
        public String name() {
            return "t";
        }

        public long seed() {
            return 7;
        }

        public Device device() {
            return Device.cpu();
        }

        public Path directory() {
            return dir;
        }

        public MetricsSink metrics() {
            return (stage, step, values) -> lines.add(values);
        }
    }

    record Ctx(String stage, Run run, Path staging, boolean resuming) implements StageContext {
        public Path resumeDirectory() {
            Path p = staging.resolve("resume");
            try {
                return Files.createDirectories(p);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        public Path input(String relativePath) {
            Path p = run.dir().resolve(relativePath);
            if (!Files.exists(p)) {
                throw new StageFailure("no " + p);
            }
            return p;
        }

        public Progress progress(String task, long total) {
            return new Progress() {
                public void step(long n) {
                }

                public void status(String text) {
                }

                public void close() {
                }
            };
        }
    }

    @Test
    void pretrainThenSftWriteHuggingFaceCheckpointsAndReportTheirFigures(@TempDir Path dir) throws Exception {
        List<Record> docs = new ArrayList<>();
        List<Record> convs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            docs.add(Record.document("d" + i, i + " plus 2 is " + (i + 2) + ". 一加" + i + "等于几? 😀", Map.of(), null));
            convs.add(new Record("c" + i, Record.Kind.CONVERSATION, "", List.of(Message.user("What is " + i + " plus 2?"),
                    Message.assistant("It is " + (i + 2) + ".")), List.of(), Map.of(), null));
        }
        RecordJsonl.write(dir.resolve("data/filtered.jsonl"), docs);
        RecordJsonl.write(dir.resolve("data/splits/sft.jsonl"), convs);
        Run run = new Run(dir, new ArrayList<>());
        Config c = config("");

        Path pre = dir.resolve("staging-pretrain");
        new PretrainStage(c.getConfig("pretrain"), c, run, null).run(new Ctx("pretrain", run, pre, false));
        for (String f : List.of(HfCheckpoint.CONFIG, HfCheckpoint.WEIGHTS, HfCheckpoint.TOKENIZER)) {
            assertTrue(Files.isRegularFile(pre.resolve("checkpoints/pretrain/" + f)), f);
        }
        Files.move(pre.resolve("checkpoints"), dir.resolve("checkpoints"));   // what the host's publish does

        Path sft = dir.resolve("staging-sft");
        new SftStage(c.getConfig("sft"), c, run, null).run(new Ctx("sft", run, sft, false));
        assertTrue(Files.isRegularFile(sft.resolve("checkpoints/sft/model.safetensors")));
        Map<String, ?> summary = run.lines().get(run.lines().size() - 1);
        assertEquals("sft-finished", summary.get("event"));
        for (String key : List.of("val-loss-before", "val-loss-after", "stop-rate")) {
            assertTrue(Double.isFinite(((Number) summary.get(key)).doubleValue()), key + " " + summary);
        }
    }

    @Test
    void badSettingsFailWhenTheStageIsBuiltNamingTheKey(@TempDir Path dir) {
        Run run = new Run(dir, new ArrayList<>());
        Config c = config("pretrain.min-learning-rate = 1.0\nmodel.heads = 3");
        var e = assertThrows(ConfigProblem.class, () -> new PretrainStage(c.getConfig("pretrain"), c, run, null));
        assertTrue(e.getMessage().contains("min-learning-rate"), e.getMessage());
        Config d = config("model.heads = 3");
        e = assertThrows(ConfigProblem.class, () -> new PretrainStage(d.getConfig("pretrain"), d, run, null));
        assertTrue(e.getMessage().contains("multiple"), e.getMessage());
        Config t = config("tokenizer.template = nope");
        assertThrows(ConfigProblem.class, () -> new SftStage(t.getConfig("sft"), t, run, null));
    }
}
