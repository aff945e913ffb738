package org.rlhf4j.host.cli;

import com.google.inject.Injector;
import com.typesafe.config.ConfigRenderOptions;
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
final class DataCommand implements Callable<Integer> {

    /** The built-in data stages, in pipeline order. */
    static final Set<String> DATA_STAGES = Set.of("acquire", "filter", "classify", "split");

    @ParentCommand
    Main main;

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

    @Override
    public Integer call() throws Exception {
        DataEngine dataEngine = null;
        if (!engine.equals("local")) {
            try {
                dataEngine = DataEngine.find(engine);
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
        try (Session session = Session.open(config, narrowed, main.pluginsDir)) {
            RunSettings settings = session.runSettings();
            try (RunDirectory dir = RunDirectory.open(settings.output())) {
                List<String> finished = dir.finishedStages().stream().filter(DATA_STAGES::contains).toList();
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
                    RunCommand.runStages(pipeline, prepared, resume);
                    System.out.println("data stages " + String.join(", ", stages) + " done; report: "
                            + settings.output().resolve("data/report.html"));
                    return ExitCodes.OK;
                }
            }
        }
    }
}
