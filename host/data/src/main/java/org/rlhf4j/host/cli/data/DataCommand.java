package org.rlhf4j.host.cli.data;

import org.rlhf4j.host.cli.Cli;
import org.rlhf4j.host.cli.ExitCodes;
import org.rlhf4j.host.cli.RunCommand;
import org.rlhf4j.host.cli.Session;
import org.rlhf4j.host.shard.FilterEngine;

import com.google.inject.Injector;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.host.config.ConfigLoader;
import org.rlhf4j.host.config.RunSettings;
import org.rlhf4j.host.run.JsonlMetrics;
import org.rlhf4j.host.run.Pipeline;
import org.rlhf4j.host.run.RunDirectory;
import org.rlhf4j.host.shard.FilterShards;
import org.rlhf4j.host.shard.Shard;
import org.rlhf4j.host.shard.ShardMergeStage;
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

    /** The built-in data stages, in pipeline order. */
    static final Set<String> DATA_STAGES = Set.of("acquire", "filter", "classify", "split");

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
        FilterEngine dataEngine = null;
        if (!engine.equals("local")) {
            try {
                dataEngine = FilterEngine.find(engine);
            } catch (IllegalArgumentException e) {
                System.err.println("error: " + e.getMessage());
                return ExitCodes.USAGE;
            }
        }
        // Only the data stages are built (so a training stage's plugin need not be present): narrow run.stages.
        List<String> listed = ConfigLoader.of(config, sets).bootstrap().getStringList("run.stages");
        List<String> stages = listed.stream().filter(DATA_STAGES::contains).toList();
        if (stages.isEmpty()) {
            System.err.println("error: run.stages " + listed + " has none of the data stages " + DATA_STAGES);
            return ExitCodes.USAGE;
        }
        List<String> narrowed = new ArrayList<>(sets);
        narrowed.add("run.stages=[" + String.join(", ", stages) + "]");
        try (Session session = Session.open(config, narrowed, cli.pluginsDir())) {
            RunSettings settings = session.runSettings();
            try (RunDirectory dir = RunDirectory.open(settings.output())) {
                List<String> finished = dir.finishedStages().stream().filter(DATA_STAGES::contains).toList();
                boolean resume = this.resume || merge != null;
                if (!resume && !finished.isEmpty()) {
                    System.err.println("error: " + settings.output() + " already holds data stages (finished: "
                            + String.join(", ", finished) + "). Use --resume, or another run.name.");
                    return ExitCodes.USAGE;
                }
                dir.writeAtomically("config.resolved.conf", session.config.root().render(
                        ConfigRenderOptions.defaults().setOriginComments(true).setJson(false)));
                try (JsonlMetrics metrics = new JsonlMetrics(settings.output().resolve("metrics.jsonl"))) {
                    Injector injector = session.injector(metrics);
                    Pipeline pipeline = new Pipeline(stages, injector.getInstance(Extensions.class),
                            injector.getInstance(RunContext.class), dir);
                    Map<String, Stage> prepared = pipeline.prepare();
                    if (dataEngine != null && prepared.containsKey("filter")) {
                        prepared.put("filter", dataEngine.filterStage(master, session.config,
                                injector.getInstance(Extensions.class)));
                    }
                    if (merge != null && prepared.containsKey("filter")) {
                        prepared.put("filter", new ShardMergeStage(session.config, injector.getInstance(Extensions.class), merge));
                    }
                    RunCommand.runStages(pipeline, prepared, resume);
                    System.out.println("data stages " + String.join(", ", stages) + " done; report: "
                            + settings.output().resolve("data/report.html"));
                    return ExitCodes.OK;
                }
            }
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
