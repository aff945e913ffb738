package org.rlhf4j.host.cli;


import com.google.inject.Injector;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.config.RunSettings;
import org.rlhf4j.host.metrics.RunMetrics;
import org.rlhf4j.host.run.Pipeline;
import org.rlhf4j.host.run.RunDirectory;
import org.rlhf4j.host.run.ResumeCheck;
import org.rlhf4j.host.run.RunLog;
import org.rlhf4j.host.config.Secrets;
import org.rlhf4j.host.wiring.EngineThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code rlhf run CONFIG}: runs the stages the config lists, in its run directory. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the stages of run.stages in the run directory (run.output, default runs/<run.name>).",
        footer = ExitCodes.HELP)
public final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @ParentCommand
    Cli cli;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The run file (HOCON).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config value (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--resume", description = "Continue a run: skip finished stages, resume the interrupted one from its checkpoint.")
    boolean resume;

    @Option(names = "--allow-config-change", description = "With --resume: only warn when a finished stage's settings "
            + "changed since it ran (by default the run refuses, naming the keys).")
    boolean allowConfigChange;

    /** A stage threw something that is not a {@link StageFailure}: a bug or an environment problem. */
    static final class StageError extends Exception {
        final String stage;

        StageError(String stage, Throwable cause) {
            super(cause);
            this.stage = stage;
        }
    }

    @Override
    public Integer call() throws Exception {
        try (Session session = Session.open(config, sets, cli.pluginsDir())) {
            return runIn(session, session.runSettings().stages(), resume, allowConfigChange);
        }
    }

    /** {@code rlhf run [--resume] config --set ...}: also what {@code rlhf compare} runs each variant with. */
    public static int run(Path config, List<String> sets, Path pluginsDir, boolean resume) throws Exception {
        try (Session session = Session.open(config, sets, pluginsDir)) {
            return runIn(session, session.runSettings().stages(), resume);
        }
    }

    /**
     * The run loop every command shares ({@code rlhf run}, {@code rlhf data}, {@code rlhf compare}): in the run
     * directory of the session's config, refuses to redo finished stages unless {@code resume}, writes
     * config.resolved.conf, creates every one of {@code stages} (config problems fail here), then runs them.
     */
    public static int runIn(Session session, List<String> stages, boolean resume) throws Exception {
        return runIn(session, stages, resume, false);
    }

    /**
     * {@link #runIn(Session, List, boolean)}; on resume, a finished stage whose settings changed since it ran stops the
     * run naming the keys, or with {@code allowConfigChange} is only warned about.
     */
    public static int runIn(Session session, List<String> stages, boolean resume, boolean allowConfigChange) throws Exception {
        RunSettings settings = session.runSettings();
        EngineThreads.configure(settings.threads());
        boolean fresh = !Files.exists(settings.output());
        try {
            return runInDirectory(session, settings, stages, resume, allowConfigChange);
        } catch (NotPrepared e) {
            if (fresh) {
                RunDirectory.deleteTree(settings.output()); // a config that fails leaves no run directory behind
            }
            throw e.problem;
        }
    }

    /** A stage could not be created (a config problem): thrown through the run directory's close, then rethrown. */
    private static final class NotPrepared extends Exception {
        final RuntimeException problem;

        NotPrepared(RuntimeException problem) {
            super(problem);
            this.problem = problem;
        }
    }

    private static int runInDirectory(Session session, RunSettings settings, List<String> stages, boolean resume,
                                      boolean allowConfigChange) throws Exception {
        try (RunDirectory dir = RunDirectory.open(settings.output())) {
            List<String> finished = dir.finishedStages().stream().filter(stages::contains).toList();
            if (!resume && !finished.isEmpty()) {
                System.err.println("error: " + settings.output() + " already holds a run (finished: "
                        + String.join(", ", finished) + "). Use --resume to continue it, or another run.name.");
                return ExitCodes.USAGE;
            }
            String configText = Secrets.scrub(Secrets.mask(session.config).root().render(
                    ConfigRenderOptions.defaults().setOriginComments(true).setJson(false)));
            if (resume && !acceptsChanges(settings, stages, finished, configText, allowConfigChange)) {
                return ExitCodes.CONFIG;
            }
            try (RunMetrics metrics = new RunMetrics(); RunLog runLog = RunLog.open(settings.output())) {
                Injector injector = session.injector(metrics);
                Extensions extensions = injector.getInstance(Extensions.class);
                RunContext run = injector.getInstance(RunContext.class);
                Pipeline pipeline = new Pipeline(stages, extensions, run, dir, configText);
                Map<String, Stage> prepared;
                try {
                    metrics.open(extensions, run, session.config); // run.metrics.sinks, before any stage is built
                    prepared = pipeline.prepare();
                } catch (RuntimeException e) {
                    throw new NotPrepared(e);
                }
                dir.writeAtomically("config.resolved.conf", configText);
                if (prepared.isEmpty()) {
                    System.err.println("warning: run.stages is empty: nothing to run");
                }
                List<String> ran = runWithInterruptHint(pipeline, prepared, resume, settings, runLog);
                log.info("run {} done: {} stage(s) ran, outputs in {}", settings.name(), ran.size(), settings.output());
                return ExitCodes.OK;
            }
        }
    }

    /**
     * Whether a resume may go on: no setting that matters to a finished stage changed since it ran
     * ({@link ResumeCheck}), or {@code allowConfigChange} (then each change is a warning). The refusal names the keys.
     */
    private static boolean acceptsChanges(RunSettings settings, List<String> stages, List<String> finished, String configText,
                                          boolean allowConfigChange) throws java.io.IOException {
        // Compared as written: the kept configs are this same rendering (secrets masked), parsed back.
        List<String> changed = ResumeCheck.changes(settings.output(), stages, new java.util.HashSet<>(finished),
                ConfigFactory.parseString(configText).resolve());
        if (!changed.isEmpty() && !allowConfigChange) {
            System.err.println("error: the config changed since these finished stages ran; their outputs were made with"
                    + " the earlier values:\n  " + String.join("\n  ", changed)
                    + "\nRestore those values, start another run (run.name), or resume anyway with --allow-config-change.");
            return false;
        }
        changed.forEach(c -> log.warn("resuming with a changed config: {}", c));
        return true;
    }

    /**
     * Runs the stages; a failure, and Ctrl-C (SIGINT, exit 130) or a kill (SIGTERM) while they run, is written to
     * run.log, and an interruption says how to go on (the finished stages and the last checkpoint are kept).
     */
    private static List<String> runWithInterruptHint(Pipeline pipeline, Map<String, Stage> prepared, boolean resume,
                                                     RunSettings settings, RunLog runLog) throws Exception {
        Thread hint = new Thread(() -> {
            String msg = "interrupted: run " + settings.name() + " stopped; continue it with `rlhf run <config> --resume`"
                    + " (finished stages and the last checkpoint are kept in " + settings.output() + ")";
            System.err.println();
            System.err.println(msg);
            runLog.failure(msg);
        }, "rlhf-interrupt-hint");
        Runtime.getRuntime().addShutdownHook(hint);
        try {
            return runStages(pipeline, prepared, resume);
        } catch (Exception e) {
            runLog.failure("run " + settings.name() + " stopped: " + Secrets.scrub(e.getMessage() != null ? e.getMessage()
                    : String.valueOf(e.getCause())));
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hint);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting: the hint runs
            }
        }
    }

    /** Runs prepared stages; a stage's failure becomes the CLI's error naming the stage (also for rlhf data). */
    static List<String> runStages(Pipeline pipeline, Map<String, Stage> stages, boolean resume) throws Exception {
        try {
            return pipeline.run(stages, resume);
        } catch (Pipeline.StageException e) {
            if (e.getCause() instanceof StageFailure sf) {
                throw new StageFailure("stage " + e.stage() + " failed: " + sf.getMessage(), sf);
            }
            throw new StageError(e.stage(), e.getCause());
        }
    }
}
