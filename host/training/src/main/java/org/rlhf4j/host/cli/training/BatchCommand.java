package org.rlhf4j.host.cli.training;

import org.rlhf4j.host.wiring.EngineThreads;

import org.rlhf4j.host.cli.Cli;
import org.rlhf4j.host.cli.ExitCodes;
import org.rlhf4j.host.cli.RunCommand;
import org.rlhf4j.host.cli.Session;
import org.rlhf4j.host.batch.BatchEngine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.batch.BatchInput;
import org.rlhf4j.host.batch.BatchItem;
import org.rlhf4j.host.batch.BatchJob;
import org.rlhf4j.host.batch.BatchOutput;
import org.rlhf4j.host.batch.BatchSettings;
import org.rlhf4j.host.batch.BatchSummary;
import org.rlhf4j.host.batch.BatchTask;
import org.rlhf4j.host.batch.LoadedCheckpoints;
import org.rlhf4j.host.classify.CategoryLabels;
import org.rlhf4j.host.config.RunSettings;
import org.rlhf4j.host.shard.Shard;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code rlhf batch generate|score|evaluate CONFIG ...}: a model over a JSONL file of prompts or answers, one output
 * line per input record in input order; in-process by default, on Spark executors with {@code --engine spark}, or
 * one shard of it with {@code --shard i/N} ({@code rlhf batch merge} joins the shards). The config gives the chat
 * template, the sampling settings, {@code run.seed} and the {@code batch} block.
 */
@Command(name = "batch", mixinStandardHelpOptions = true,
        description = "Batch generation and scoring over a JSONL file: K answers per prompt to rank, reward or cost "
                + "scores, evaluation figures; in-process, on Spark (--engine spark) or sharded (--shard i/N).",
        footer = ExitCodes.HELP,
        subcommands = {BatchCommand.Generate.class, BatchCommand.Score.class, BatchCommand.Evaluate.class,
                BatchCommand.Merge.class})
public final class BatchCommand implements Runnable {

    @ParentCommand
    Cli cli;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The options every batch job takes. */
    static final class JobOptions {
        @Parameters(index = "0", paramLabel = "CONFIG", description = "The run file (HOCON): chat template, generate, batch, run.seed.")
        Path config;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config value (repeatable).")
        List<String> sets = new ArrayList<>();

        @Option(names = "--input", required = true, paramLabel = "FILE", description = "Input JSONL (repeatable; read in the order given).")
        List<Path> inputs = new ArrayList<>();

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output JSONL (a shard writes FILE.shard-i-of-N).")
        Path out;

        @Option(names = "--shard", paramLabel = "i/N", description = "Run only shard i of N (contiguous whole batches of the input).")
        String shard;

        @Option(names = "--engine", paramLabel = "NAME", description = "local (in-process, the default) or spark (docs/spark.md).")
        String engine = "local";

        @Option(names = "--master", paramLabel = "URL", description = "The engine's master, e.g. local[2] (default: ${DEFAULT-VALUE}).")
        String master = "local[*]";
    }

    @Command(name = "generate", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
            description = "K sampled answers per prompt ({id, category, prompt, answers}: an annotate task file of format rankings).")
    static final class Generate implements Callable<Integer> {
        @ParentCommand
        BatchCommand parent;
        @Mixin
        JobOptions job;
        @Option(names = "--model", required = true, paramLabel = "DIR", description = "The language model checkpoint.")
        Path model;
        @Option(names = {"-k", "--answers"}, paramLabel = "K", description = "Answers per prompt (default: batch.k).")
        Integer k;

        @Override
        public Integer call() throws IOException {
            return execute(parent.cli, job, BatchJob.Mode.GENERATE, model, null, null, k);
        }
    }

    @Command(name = "score", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
            description = "A reward or cost model's score per answer (input lines with answer or answers; adds score or scores).")
    static final class Score implements Callable<Integer> {
        @ParentCommand
        BatchCommand parent;
        @Mixin
        JobOptions job;
        @Option(names = "--model", required = true, paramLabel = "DIR", description = "The reward (or cost) model checkpoint.")
        Path model;

        @Override
        public Integer call() throws IOException {
            return execute(parent.cli, job, BatchJob.Mode.SCORE, model, null, null, null);
        }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
            description = "Per answer: reward, cost, and nll/tokens under a language model; figures in OUT.summary.json.")
    static final class Evaluate implements Callable<Integer> {
        @ParentCommand
        BatchCommand parent;
        @Mixin
        JobOptions job;
        @Option(names = "--model", paramLabel = "DIR", description = "A language model: the answers' likelihood (perplexity).")
        Path model;
        @Option(names = "--reward", paramLabel = "DIR", description = "A reward model checkpoint.")
        Path reward;
        @Option(names = "--cost", paramLabel = "DIR", description = "A cost model checkpoint.")
        Path cost;

        @Override
        public Integer call() throws IOException {
            if (model == null && reward == null && cost == null) {
                System.err.println("error: give at least one of --model, --reward, --cost");
                return ExitCodes.USAGE;
            }
            return execute(parent.cli, job, BatchJob.Mode.EVALUATE, model, reward, cost, null);
        }
    }

    @Command(name = "merge", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
            description = "Concatenates OUT.shard-0-of-N .. OUT.shard-(N-1)-of-N into OUT (the unsharded output, byte for byte).")
    static final class Merge implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "OUT", description = "The output the shards were run with (--out).")
        Path out;
        @Option(names = "--shards", required = true, paramLabel = "N", description = "How many shards there were.")
        int shards;

        @Override
        public Integer call() throws IOException {
            long n = BatchOutput.merge(out, shards);
            System.out.println(n + " records of " + shards + " shards -> " + out);
            if (n > 0 && isEvaluation(out)) {
                System.out.println("figures: " + BatchSummary.write(out));
            }
            return ExitCodes.OK;
        }
    }

    /** Runs one batch job (or its shard) and writes its output. */
    static int execute(Cli cli, JobOptions o, BatchJob.Mode mode, Path model, Path reward, Path cost, Integer k)
            throws IOException {
        Shard shard;
        BatchEngine engine = null;
        try {
            shard = o.shard == null ? Shard.ALL : Shard.parse(o.shard);
            if (!o.engine.equals("local")) {
                engine = BatchEngine.find(o.engine);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        try (Session session = Session.open(o.config, o.sets, cli.pluginsDir())) {
            Config config = session.config;
            if (k != null) {
                config = config.withValue("batch.k", ConfigValueFactory.fromAnyRef(k));
            }
            BatchSettings settings = BatchSettings.from(config.getConfig("batch"));
            BatchJob job = new BatchJob(mode, checkpoint(model, "--model"), checkpoint(reward, "--reward"),
                    checkpoint(cost, "--cost"), config.root().render(com.typesafe.config.ConfigRenderOptions.concise()));
            List<List<BatchItem>> batches = BatchInput.read(o.inputs, settings.batchSize(), shard,
                    new CategoryLabels(config.getConfig("classify")), mode != BatchJob.Mode.GENERATE);
            Path out = o.out.resolveSibling(o.out.getFileName() + shard.suffix());
            long start = System.nanoTime();
            long answers;
            try (BatchOutput w = BatchOutput.open(out)) {
                if (engine == null) {
                    EngineThreads.configure(RunSettings.from(config).threads());
                    BatchTask task = BatchTask.of(job);
                    for (List<BatchItem> b : batches) {
                        w.write(task.run(b));
                    }
                } else {
                    for (List<String> lines : engine.batch(o.master, job, batches)) {
                        w.write(lines);
                    }
                }
                w.complete();
                answers = mode == BatchJob.Mode.GENERATE ? w.records() * settings.k() : w.records();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%d records -> %s (%s, %.1f s, %.1f %s/s)%n", batches.stream().mapToLong(List::size).sum(), out,
                    engine == null ? "in-process" : o.engine + " " + o.master, seconds, answers / seconds,
                    mode == BatchJob.Mode.GENERATE ? "answers" : "records");
            if (mode == BatchJob.Mode.EVALUATE) {
                System.out.println("figures: " + BatchSummary.write(out));
            }
            return ExitCodes.OK;
        }
    }

    /** The absolute folder of a checkpoint option, checked before any work; null when not given. */
    private static String checkpoint(Path dir, String option) {
        if (dir == null) {
            return null;
        }
        try {
            LoadedCheckpoints.check(dir.toAbsolutePath());
        } catch (IOException e) {
            throw new StageFailure(option + " " + dir + ": " + e.getMessage());
        }
        return dir.toAbsolutePath().normalize().toString();
    }

    /** Whether {@code out} is an evaluation output (its first record has reward, cost or nll). */
    private static boolean isEvaluation(Path out) throws IOException {
        try (var lines = Files.lines(out)) {
            var first = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.findFirst().orElse("{}"));
            return first.has("nll") || first.has("reward") || first.has("cost");
        }
    }
}
