package org.rlhf4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.host.testkit.TinyCheckpoints;
import org.rlhf4j.host.cli.ExitCodes;
import org.rlhf4j.host.dist.Main;

/**
 * {@code rlhf batch generate|evaluate} in-process and with {@code --engine spark} on the fork's cluster (executors in
 * their own JVMs, each loading the checkpoints once): the same bytes, although Spark cuts the input into other
 * partitions than the in-process loop and every answer is sampled on an executor.
 */
class SparkBatchTest {

    static final List<String> PROMPTS = List.of("name a fruit", "say hi", "count to three", "what is red?", "a poem",
            "list two cats", "why is sky blue?", "say bye", "add one and two");

    @TempDir
    static Path dir;
    static Path plugins;
    static Path config;
    static Path prompts;
    static Path answers;

    @BeforeAll
    static void fixtures() throws IOException {
        TinyCheckpoints.write(dir, PROMPTS);
        List<String> p = new ArrayList<>();
        List<String> a = new ArrayList<>();
        for (int i = 0; i < PROMPTS.size(); i++) {
            p.add("{\"prompt\": \"" + PROMPTS.get(i) + "\"}");
            a.add("{\"prompt\": \"" + PROMPTS.get(i) + "\", \"answers\": [\"hi\", \"" + PROMPTS.get((i + 1) % PROMPTS.size()) + "\"]}");
        }
        prompts = Files.write(dir.resolve("prompts.jsonl"), p);
        answers = Files.write(dir.resolve("answers.jsonl"), a);
        config = Files.writeString(dir.resolve("batch.conf"), "run { seed = 3, threads = 1 }\n"
                + "batch { batch-size = 2, k = 3, partitions = 3, generate { max-new-tokens = 8 } }\n");
        plugins = Files.createDirectories(dir.resolve("no-plugins"));
    }

    static String run(String mode, String models, String input, String out, String... engine) throws IOException {
        List<String> args = new ArrayList<>(List.of("--plugins", plugins.toString(), "batch", mode, config.toString()));
        args.addAll(List.of(models.split(" ")));
        args.addAll(List.of("--input", input, "--out", dir.resolve(out).toString()));
        args.addAll(List.of(engine));
        assertEquals(0, Main.execute(args.toArray(String[]::new)));
        return Files.readString(dir.resolve(out));
    }

    @Test
    void generationOnExecutorsEqualsInProcessByteForByte() throws IOException {
        String local = run("generate", "--model " + dir.resolve("lm"), prompts.toString(), "gen-local.jsonl");
        assertEquals(PROMPTS.size(), local.lines().count());
        assertTrue(local.contains("\"answers\":["), local);
        assertEquals(local, run("generate", "--model " + dir.resolve("lm"), prompts.toString(), "gen-spark.jsonl",
                "--engine", "spark", "--master", LoopbackCluster.master()));
    }

    @Test
    void scoringAndEvaluationOnExecutorsEqualInProcessByteForByte() throws IOException {
        String models = "--reward " + dir.resolve("reward") + " --model " + dir.resolve("lm");
        String local = run("evaluate", models, answers.toString(), "eval-local.jsonl");
        assertTrue(local.contains("\"reward\":[") && local.contains("\"nll\":["), local);
        assertEquals(local, run("evaluate", models, answers.toString(), "eval-spark.jsonl",
                "--engine", "spark", "--master", LoopbackCluster.master()));
        assertEquals(Files.readString(dir.resolve("eval-local.jsonl.summary.json")),
                Files.readString(dir.resolve("eval-spark.jsonl.summary.json")));
    }

    @Test
    void aPromptTooLongForTheContextStopsTheJobNamingFileAndLine() throws IOException {
        Path tooLong = Files.write(dir.resolve("too-long.jsonl"), List.of("{\"prompt\": \"say hi\"}",
                "{\"prompt\": \"" + "say hi ".repeat(12) + "\"}"));
        PrintStream previous = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream capture = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setErr(capture);
            code = Main.execute("--plugins", plugins.toString(), "batch", "generate", config.toString(), "--model",
                    dir.resolve("lm").toString(), "--input", tooLong.toString(), "--out", dir.resolve("x.jsonl").toString(),
                    "--engine", "spark", "--master", LoopbackCluster.master());
        } finally {
            System.setErr(previous);
        }
        assertEquals(ExitCodes.STAGE_FAILED, code);
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains(tooLong + ":2: the prompt is"), text);
        assertTrue(!Files.exists(dir.resolve("x.jsonl")));
    }
}
