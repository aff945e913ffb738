package org.rlhf4j.host.cli.data;

import org.rlhf4j.host.cli.Cli;
import org.rlhf4j.host.cli.ExitCodes;
import org.rlhf4j.host.cli.RunCommand;
import org.rlhf4j.host.cli.Session;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.host.config.ConfigLoader;
import org.rlhf4j.host.shard.FilterShards;
import org.rlhf4j.host.shard.Shard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code rlhf data CONFIG}: runs only the data stages of a config's {@code run.stages} (acquire, filter,
 * classify, split), in its run directory, so data work can be checked before any training; a later
 * {@code rlhf run --resume} continues with the training stages.
 */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Run only the data stages (acquire, filter, classify, split) of run.stages; outputs and "
                + "data/report.html in the run directory.",
        footer = ExitCodes.HELP)
public final class DataCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The run file (HOCON).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config value (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--resume", description = "Skip data stages already finished in the run directory.")
    boolean resume;

    @Option(names = "--engine", paramLabel = "NAME", description = "Where the filter stage runs: local (in-process, the default) "
            + "or spark (needs the rlhf4j-spark-runner jar and Spark's jars on the class path; docs/spark.md).")
    String engine = "local";

    @Option(names = "--master", paramLabel = "URL", description = "The engine's master, e.g. local[2] or spark://host:7077 (default: ${DEFAULT-VALUE}).")
    String master = "local[*]";

    @Option(names = "--shard", paramLabel = "i/N", description = "Run only shard i of N of the filter stage: the filters before "
            + "the first dedup over the i-th part of the acquired records, into data/shards/ (no lock: shards run at once; "
            + "acquire must have run). Then --merge N.")
    String shard;

    @Option(names = "--merge", paramLabel = "N", description = "Run the data stages (skipping finished ones) with the filter "
            + "stage joining shards 0..N-1 and running dedup and the rest of the chain over all of them.")
    Integer merge;

    @Override
    public Integer call() throws Exception {
        if ((shard != null || merge != null) && (!engine.equals("local") || shard != null && merge != null)) {
            System.err.println("error: --shard and --merge run in-process, one at a time (Spark: --engine spark alone)");
            return ExitCodes.USAGE;
        }
        if (shard != null) {
            return runShard();
        }
        // Only the data stages are built (so a training stage's plugin need not be present): those of run.stages
        // that data.stages names. --engine, --master and --merge are the filter stage's settings.
        Config boot = ConfigLoader.of(config, sets).bootstrap();
        List<String> dataStages = boot.getStringList("data.stages");
        List<String> listed = boot.getStringList("run.stages");
        List<String> stages = listed.stream().filter(dataStages::contains).toList();
        if (stages.isEmpty()) {
            System.err.println("error: run.stages " + listed + " has none of the data stages " + dataStages + " (data.stages)");
            return ExitCodes.USAGE;
        }
        List<String> narrowed = new ArrayList<>(sets);
        narrowed.add("run.stages=[" + String.join(", ", stages) + "]");
        narrowed.add("filter.engine=" + engine);
        narrowed.add("filter.master=\"" + master + "\"");
        if (merge != null) {
            narrowed.add("filter.merge-shards=" + merge);
        }
        try (Session session = Session.open(config, narrowed, cli.pluginsDir())) {
            int code = RunCommand.runIn(session, stages, resume || merge != null);
            if (code == ExitCodes.OK) {
                System.out.println("data stages " + String.join(", ", stages) + " done; report: "
                        + session.runSettings().output().resolve("data/report.html"));
            }
            return code;
        }
    }

    /** {@code --shard i/N}: one shard of the filter stage, without the run directory's lock. */
    private int runShard() throws IOException {
        Shard part;
        try {
            part = Shard.parse(shard);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        try (Session session = Session.open(config, sets, cli.pluginsDir())) {
            Path root = session.runSettings().output();
            Extensions extensions = session.injector((stage, step, values) -> { }).getInstance(Extensions.class);
            Path done = FilterShards.run(root, session.config, extensions, part);
            System.out.println("filter shard " + part.index() + "/" + part.count() + " done: " + done
                    + "; when every shard is done: rlhf data " + config + " --merge " + part.count());
            return ExitCodes.OK;
        }
    }
}
