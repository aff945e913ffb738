package org.rlhf4j.host.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.host.testkit.RunHarness;

/**
 * Stage's contract: every extension the config names, DataSource entries of later stages included, is resolved
 * when the stages are created, so a misspelled source type fails the run before the first stage does any work.
 */
class UpFrontChecksTest {

    private static final RunHarness RLHF = new RunHarness();

    @TempDir
    Path dir;

    private RunHarness.Result run(String stage, String hocon) throws Exception {
        Path conf = Files.writeString(dir.resolve("bad.conf"), """
                run { name = bad, device = cpu, output = "%s", stages = [pretrain, %s] }
                pretrain.steps = 1
                %s
                """.formatted(dir.resolve("run"), stage, hocon));
        return RLHF.rlhf(RunHarness.noPlugins(dir), "run", conf.toString());
    }

    @Test
    void aMisspelledSourceTypeOfALaterStageFailsBeforeTheFirstStage() throws Exception {
        RunHarness.Result r = run("reward", "reward.sources = [{ type = jsonll, path = \"x.jsonl\" }]\n");
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.err().contains("type (") && r.err().contains("bad.conf:3"), r.err());
        assertTrue(r.err().contains("no DataSource extension is named 'jsonll'. Known: "), r.err());
        assertFalse(Files.exists(dir.resolve("run/.stages/pretrain.done")), "pretrain must not have run");
    }

    @Test
    void anEntryWithoutATypeIsNamedByItsKey() throws Exception {
        RunHarness.Result r = run("\"preference#dpo\"", "preference.held-out = [{ path = \"x.jsonl\" }]\n");
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.err().contains("held-out") && r.err().contains("entry 1 has no type; known: "), r.err());
        assertFalse(Files.exists(dir.resolve("run/.stages/pretrain.done")));
    }

    @Test
    void pretrainReadsOnlyItsSourcesWhenItsInputIsEmpty() throws Exception {
        StringBuilder docs = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            docs.append("{\"id\":\"d").append(i).append("\",\"kind\":\"document\",\"text\":\"").append(i)
                    .append(" plus two is ").append(i + 2).append(". the cat sat on the mat.\"}\n");
        }
        Path corpus = Files.writeString(dir.resolve("corpus.jsonl"), docs.toString());
        Path conf = Files.writeString(dir.resolve("sources.conf"), """
                run { name = src, device = cpu, output = "%s", stages = [pretrain] }
                model { layers = 1, heads = 2, width = 16, context = 32 }
                tokenizer { vocab-size = 300 }
                pretrain { input = "", sources = [{ type = jsonl, path = "%s" }], steps = 2, batch-size = 2, warmup-steps = 1,
                           eval-interval = 2, checkpoint-interval = 0 }
                """.formatted(dir.resolve("run"), corpus));
        RunHarness.Result r = RLHF.rlhf(RunHarness.noPlugins(dir), "run", conf.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.exists(dir.resolve("run/checkpoints/pretrain/config.json")), r.err());
        Path none = Files.writeString(dir.resolve("none.conf"), """
                run { name = none, device = cpu, output = "%s", stages = [pretrain] }
                pretrain { input = "", steps = 1 }
                """.formatted(dir.resolve("run-none")));
        RunHarness.Result empty = RLHF.rlhf(RunHarness.noPlugins(dir), "run", none.toString());
        assertEquals(1, empty.exitCode(), empty.err());
        assertTrue(empty.err().contains("no document records (kind \"document\") to learn from")
                && empty.err().contains("set pretrain.input, pretrain.files or pretrain.sources"), empty.err());
    }
}
