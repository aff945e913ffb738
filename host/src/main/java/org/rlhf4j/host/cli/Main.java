package org.rlhf4j.host.cli;

import com.typesafe.config.ConfigException;
import java.nio.file.Path;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.plugin.PluginLoadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code rlhf} command line. */
@Command(name = "rlhf", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "rlhf4j: the ChatGPT-style training loop (data, pretrain, SFT, reward model, PPO) from one HOCON file.",
        footer = ExitCodes.HELP,
        subcommands = {RunCommand.class, CompareCommand.class, DataCommand.class, PluginsCommand.class, ConfigCommand.class, ExportCommand.class, ImportCommand.class, BenchCommand.class, BatchCommand.class,
                AnnotateCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    @Option(names = "--plugins", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
            description = "The plugins folder (default: plugins.dir, else the distribution's plugins/).")
    Path pluginsDir;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code (tests call this in-process). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> handle(e, commandLine));
        return cl.execute(args);
    }

    /** Maps a failure to a clear message on stderr and an exit code. */
    static int handle(Exception e, CommandLine commandLine) {
        Throwable t = e;
        while (t.getCause() != null && !(t instanceof ConfigException) && !(t instanceof StageFailure)
                && !(t instanceof PluginLoadException)) {
            t = t.getCause();
        }
        var err = commandLine.getErr();
        if (t instanceof org.rlhf4j.host.wiring.GuiceExtensions.UnknownExtension ue && ue.pluginFailed()) {
            err.println("plugin error: " + ue.getMessage());
            return ExitCodes.PLUGIN;
        }
        if (t instanceof ConfigException ce) {
            err.println("config error: " + ce.getMessage());
            return ExitCodes.CONFIG;
        }
        if (t instanceof PluginLoadException pe) {
            err.println("plugin error: " + pe.getMessage());
            return ExitCodes.PLUGIN;
        }
        if (t instanceof StageFailure sf) {
            err.println("error: " + sf.getMessage());
            log.debug("stage failure", sf);
            return ExitCodes.STAGE_FAILED;
        }
        if (e instanceof RunCommand.StageError se) {
            err.println("error: stage " + se.stage + " failed: " + se.getCause());
            log.error("stage {} failed", se.stage, se.getCause());
            return ExitCodes.STAGE_FAILED;
        }
        err.println("internal error: " + e);
        log.error("internal error", e);
        return ExitCodes.INTERNAL;
    }

    /** {@code rlhf --version}: the distribution and api versions. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"rlhf4j " + (v == null ? "dev" : v) + ", plugin api " + org.rlhf4j.api.ApiVersion.current()};
        }
    }
}
