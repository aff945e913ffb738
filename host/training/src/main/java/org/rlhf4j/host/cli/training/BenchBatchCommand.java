package org.rlhf4j.host.cli.training;

import org.rlhf4j.host.cli.ExitCodes;
import org.rlhf4j.host.batch.BatchEngine;

import ai.djl.Device;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rlhf4j.host.batch.BatchInput;
import org.rlhf4j.host.batch.BatchItem;
import org.rlhf4j.host.batch.BatchJob;
import org.rlhf4j.host.batch.BatchTask;
import org.rlhf4j.host.classify.CategoryLabels;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.model.GptConfig;
import org.rlhf4j.host.model.HfCheckpoint;
import org.rlhf4j.host.model.tokenizer.CharTokenizer;
import org.rlhf4j.host.shard.Shard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rlhf bench batch}: batch generation (K answers per prompt) and reward scoring of those answers, in-process
 * and on Spark {@code local[N]} when the Spark runner is on the class path, with the same model, prompts and seeds
 * (the outputs are checked equal). Both run in this JVM, whose PyTorch engine has one thread count for both.
 */
@Command(name = "batch", mixinStandardHelpOptions = true,
        description = "Batch generation and scoring answers/s: in-process vs Spark local (with the Spark runner on the class path).")
final class BenchBatchCommand implements Callable<Integer> {

    @Option(names = "--prompts", description = "Prompts (default: ${DEFAULT-VALUE}).")
    int prompts = 64;

    @Option(names = "-k", description = "Answers per prompt (default: ${DEFAULT-VALUE}).")
    int k = 4;

    @Option(names = "--new-tokens", description = "New tokens per answer at most (default: ${DEFAULT-VALUE}).")
    int newTokens = 32;

    @Option(names = "--batch-size", description = "Prompts per batch (default: ${DEFAULT-VALUE}).")
    int batchSize = 4;

    @Option(names = "--threads", description = "PyTorch intra-op threads of this JVM, for both runs (default: ${DEFAULT-VALUE}).")
    int threads = 1;

    @Option(names = "--master", description = "The Spark master (default: ${DEFAULT-VALUE}).")
    String master = "local[2]";

    @Override
    public Integer call() throws IOException {
        Device dev = BenchCommand.startEngine(threads, "cpu");
        Path dir = Files.createTempDirectory("rlhf-bench-batch");
        String letters = "abcdefghijklmnopqrstuvwxyz .?";
        CharTokenizer tok = CharTokenizer.of(List.of(letters + " Human:  Assistant: "));
        GptConfig c = new GptConfig(tok.vocabSize(), 128, 4, 4, 128, 0.0, "gelu", 1e-5, 0.02, false);
        try (Gpt lm = Gpt.initialised(c, dev, 1); Gpt rm = Gpt.initialised(c.withScoreHead(true), dev, 2)) {
            HfCheckpoint.save(lm, tok, dir.resolve("lm"));
            HfCheckpoint.save(rm, tok, dir.resolve("reward"));
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < prompts; i++) {
            StringBuilder p = new StringBuilder();
            for (int j = 0; j < 12 + i % 9; j++) {
                p.append(letters.charAt((i * 7 + j * 3) % 26));
            }
            lines.add("{\"prompt\": \"" + p + "?\"}");
        }
        Path in = Files.write(dir.resolve("prompts.jsonl"), lines);
        Config config = ConfigFactory.parseString("run { seed = 1, device = cpu }\nbatch { batch-size = " + batchSize
                + ", k = " + k + " }\ngenerate { max-new-tokens = " + newTokens + " }\n")
                .withFallback(ConfigFactory.parseResources("reference.conf")).resolve();
        String text = config.root().render(ConfigRenderOptions.concise());
        CategoryLabels labels = new CategoryLabels(config.getConfig("classify"));
        BatchJob generate = new BatchJob(BatchJob.Mode.GENERATE, dir.resolve("lm").toString(), null, null, text);
        List<List<BatchItem>> batches = BatchInput.read(List.of(in), batchSize, Shard.ALL, labels, false);
        BatchEngine spark = null;
        try {
            spark = BatchEngine.find("spark");
        } catch (IllegalArgumentException e) {
            System.out.println("(Spark runner not on the class path: in-process only)");
        }
        System.out.printf("bench batch: %d prompts x %d answers, <= %d new tokens, 4 layers, width 128, %d thread(s) per"
                + " forward pass, batches of %d prompts%n", prompts, k, newTokens, threads, batchSize);
        System.out.printf("  %-28s %10s %12s%n", "run", "seconds", "answers/s");
        BatchTask.of(generate).run(batches.get(0));                       // loads the model, warms the engine
        List<List<String>> local = timed("generate, in-process", prompts * k, () -> run(generate, batches));
        List<List<String>> onSpark = null;
        if (spark != null) {
            BatchEngine engine = spark;
            engine.batch(master, generate, batches.subList(0, 1));          // starts Spark and warms it
            onSpark = timed("generate, Spark " + master, prompts * k, () -> engine.batch(master, generate, batches));
            check(local, onSpark, "generate");
        }
        Path answers = dir.resolve("answers.jsonl");
        Files.write(answers, local.stream().flatMap(List::stream).toList());
        BatchJob score = new BatchJob(BatchJob.Mode.SCORE, dir.resolve("reward").toString(), null, null, text);
        List<List<BatchItem>> scoreBatches = BatchInput.read(List.of(answers), batchSize, Shard.ALL, labels, true);
        BatchTask.of(score).run(scoreBatches.get(0));
        List<List<String>> scored = timed("score, in-process", prompts * k, () -> run(score, scoreBatches));
        if (spark != null) {
            BatchEngine engine = spark;
            check(scored, timed("score, Spark " + master, prompts * k, () -> engine.batch(master, score, scoreBatches)), "score");
        }
        return ExitCodes.OK;
    }

    private static List<List<String>> run(BatchJob job, List<List<BatchItem>> batches) {
        List<List<String>> out = new ArrayList<>();
        for (List<BatchItem> b : batches) {
            out.add(BatchTask.of(job).run(b));
        }
        return out;
    }

    private static List<List<String>> timed(String label, int answers, java.util.function.Supplier<List<List<String>>> work) {
        long t0 = System.nanoTime();
        List<List<String>> out = work.get();
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("  %-28s %10.2f %12.1f%n", label, s, answers / s);
        return out;
    }

    private static void check(List<List<String>> a, List<List<String>> b, String what) {
        if (!a.equals(b)) {
            throw new IllegalStateException(what + ": Spark's output differs from the in-process output");
        }
    }
}
