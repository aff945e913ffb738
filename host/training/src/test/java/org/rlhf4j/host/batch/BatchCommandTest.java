package org.rlhf4j.host.batch;

import org.rlhf4j.host.cli.training.CompareCommand;
import org.rlhf4j.host.cli.training.BatchCommand;
import org.rlhf4j.host.testkit.TinyCheckpoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.host.testkit.RunHarness;
import org.rlhf4j.host.cli.ExitCodes;

/**
 * {@code rlhf batch generate|score|evaluate|merge} in-process on tiny seeded checkpoints: outputs in input order,
 * answers that depend on the record and not on the batch, shards that merge into the unsharded output byte for
 * byte, evaluation figures, and bad input named by file and line.
 */
class BatchCommandTest {

    private static final RunHarness RLHF = new RunHarness(CompareCommand::new, BatchCommand::new);

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path plugins;
    static Path prompts;

    @BeforeAll
    static void fixtures() throws IOException {
        TinyCheckpoints.write(dir);
        prompts = TinyCheckpoints.prompts(dir);
        plugins = Files.createDirectories(dir.resolve("no-plugins"));
    }

    static List<JsonNode> run(String... args) throws IOException {
        RunHarness.Result r = RLHF.rlhf(plugins, args);
        assertEquals(0, r.exitCode(), r.err());
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            out = args[i].equals("--out") ? Path.of(args[i + 1]) : out;
        }
        return read(out);
    }

    static List<JsonNode> read(Path out) throws IOException {
        return Files.readAllLines(out).stream().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    static String[] generate(int batchSize, Path out, String... more) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("batch", "generate", TinyCheckpoints.config(dir, batchSize).toString(),
                "--model", dir.resolve("lm").toString(), "--input", prompts.toString(), "--out", out.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void generatesKAnswersPerPromptInInputOrderWhateverTheBatches() throws IOException {
        List<JsonNode> a = run(generate(3, dir.resolve("gen-3.jsonl")));
        assertEquals(7, a.size(), "six plain prompts (one line blank) and one record");
        assertEquals("prompts.jsonl:1", a.get(0).get("id").asText());
        assertEquals("prompts.jsonl:4", a.get(2).get("id").asText(), "ids keep the file's line numbers past a blank line");
        assertEquals("r1", a.get(6).get("id").asText());
        assertEquals("open-qa", a.get(6).get("category").asText());
        for (JsonNode n : a) {
            assertEquals(3, n.get("answers").size(), n.toString());
        }
        // "say hi" twice (line 2 and record r1): different ids, so different draws
        assertNotEquals(a.get(1).get("answers"), a.get(6).get("answers"));
        assertNotEquals(a.get(0).get("answers").get(0), a.get(0).get("answers").get(1), "the K answers are K draws");
        // Another batch size puts each prompt beside other prompts: the answers depend only on (seed, id, j).
        assertEquals(a, run(generate(2, dir.resolve("gen-2.jsonl"))));
        List<JsonNode> k2 = run(generate(3, dir.resolve("gen-k2.jsonl"), "-k", "2"));
        assertEquals(2, k2.get(0).get("answers").size());
        assertEquals(a.get(0).get("answers").get(1), k2.get(0).get("answers").get(1));
    }

    @Test
    void shardsMergeIntoTheUnshardedOutputByteForByte() throws IOException {
        Path whole = dir.resolve("whole.jsonl");
        run(generate(2, whole));
        Path sharded = dir.resolve("sharded.jsonl");
        for (int i = 0; i < 3; i++) {
            RunHarness.Result r = RLHF.rlhf(plugins, generate(2, sharded, "--shard", i + "/3"));
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(Files.isRegularFile(BatchOutput.shard(sharded, i, 3)));
        }
        assertFalse(Files.exists(sharded));
        // 7 records in 4 batches of 2: shards of 1, 1 and 2 batches
        assertEquals(2, read(BatchOutput.shard(sharded, 0, 3)).size());
        assertEquals(3, read(BatchOutput.shard(sharded, 2, 3)).size());
        assertEquals(0, RLHF.rlhf(plugins, "batch", "merge", sharded.toString(), "--shards", "3").exitCode());
        assertEquals(Files.readString(whole), Files.readString(sharded));
        RunHarness.Result missing = RLHF.rlhf(plugins, "batch", "merge", sharded.toString(), "--shards", "4");
        assertEquals(ExitCodes.STAGE_FAILED, missing.exitCode());
        assertTrue(missing.err().contains("shard 0/4 has no output"), missing.err());
    }

    @Test
    void scoresEveryAnswerAndEvaluatesRewardAndPerplexity() throws IOException {
        Path answers = Files.write(dir.resolve("answers.jsonl"), List.of(
                "{\"id\": \"a\", \"prompt\": \"say hi\", \"answer\": \"hi\"}",
                "{\"id\": \"b\", \"prompt\": \"a poem\", \"answers\": [\"red sky\", \"hi\", \"cats\"], \"category\": \"poems\"}",
                "{\"id\": \"c\", \"prompt\": \"say hi\", \"answer\": \"hi\"}"));
        Path conf = TinyCheckpoints.config(dir, 2);
        List<JsonNode> s = run("batch", "score", conf.toString(), "--model", dir.resolve("reward").toString(),
                "--input", answers.toString(), "--out", dir.resolve("scores.jsonl").toString());
        assertEquals(3, s.size());
        assertTrue(s.get(0).get("score").isNumber());
        assertEquals(3, s.get(1).get("scores").size());
        // the same (prompt, answer) in another batch scores the same, up to float noise
        assertEquals(s.get(0).get("score").asDouble(), s.get(2).get("score").asDouble(), 1e-5);
        assertNotEquals(s.get(1).get("scores").get(0).asDouble(), s.get(1).get("scores").get(2).asDouble());

        Path evalOut = dir.resolve("eval.jsonl");
        List<JsonNode> e = run("batch", "evaluate", conf.toString(), "--reward", dir.resolve("reward").toString(),
                "--model", dir.resolve("lm").toString(), "--input", answers.toString(), "--out", evalOut.toString());
        assertEquals(s.get(1).get("scores"), e.get(1).get("reward"));
        double nll = 0;
        long tokens = 0;
        for (JsonNode n : e) {
            for (JsonNode v : n.get("nll").isArray() ? n.get("nll") : List.of(n.get("nll"))) {
                nll += v.asDouble();
                assertTrue(v.asDouble() > 0);
            }
            for (JsonNode v : n.get("tokens").isArray() ? n.get("tokens") : List.of(n.get("tokens"))) {
                tokens += v.asLong();
            }
        }
        // what SFT trains on: " hi" and the end marker, 4 tokens of a char tokenizer
        assertEquals(4, e.get(0).get("tokens").asInt());
        JsonNode summary = JSON.readTree(evalOut.resolveSibling("eval.jsonl.summary.json").toFile());
        assertEquals(5, summary.at("/all/answers").asInt());
        assertEquals(Math.exp(nll / tokens), summary.at("/all/perplexity").asDouble(), 1e-9);
        assertEquals(3, summary.at("/categories/poems/answers").asInt());
    }

    @Test
    void badInputStopsNamingTheFileAndLine() throws IOException {
        Path bad = Files.write(dir.resolve("bad.jsonl"), List.of("{\"prompt\": \"say hi\"}", "", "{\"prompt\": \"a poem\""));
        RunHarness.Result r = RLHF.rlhf(plugins, "batch", "generate", TinyCheckpoints.config(dir, 2).toString(),
                "--model", dir.resolve("lm").toString(), "--input", bad.toString(), "--out", dir.resolve("bad-out.jsonl").toString());
        assertEquals(ExitCodes.STAGE_FAILED, r.exitCode());
        assertTrue(r.err().contains(bad + ":3: not JSON"), r.err());
        assertFalse(Files.exists(dir.resolve("bad-out.jsonl")));

        Path noAnswer = Files.write(dir.resolve("no-answer.jsonl"), List.of("{\"prompt\": \"say hi\"}"));
        r = RLHF.rlhf(plugins, "batch", "score", TinyCheckpoints.config(dir, 2).toString(), "--model",
                dir.resolve("reward").toString(), "--input", noAnswer.toString(), "--out", dir.resolve("x.jsonl").toString());
        assertTrue(r.err().contains(noAnswer + ":1: no answer to score"), r.err());

        r = RLHF.rlhf(plugins, "batch", "generate", TinyCheckpoints.config(dir, 2).toString(), "--model",
                dir.resolve("nowhere").toString(), "--input", prompts.toString(), "--out", dir.resolve("x.jsonl").toString());
        assertEquals(ExitCodes.STAGE_FAILED, r.exitCode());
        assertTrue(r.err().contains("nowhere") && r.err().contains("no such folder"), r.err());

        Path oneAnswer = Files.write(dir.resolve("one-answer.jsonl"), List.of("{\"prompt\": \"say hi\", \"answer\": \"hi\"}"));
        r = RLHF.rlhf(plugins, "batch", "score", TinyCheckpoints.config(dir, 2).toString(), "--model",
                dir.resolve("lm").toString(), "--input", oneAnswer.toString(), "--out", dir.resolve("x.jsonl").toString());
        assertEquals(ExitCodes.STAGE_FAILED, r.exitCode());
        assertTrue(r.err().contains("has no score head"), r.err());

        r = RLHF.rlhf(plugins, generate(2, dir.resolve("x.jsonl"), "--shard", "3/3"));
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().contains("need 0 <= i < N"), r.err());
    }
}
