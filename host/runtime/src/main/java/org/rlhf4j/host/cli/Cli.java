package org.rlhf4j.host.cli;

import com.typesafe.config.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.rlhf4j.api.ApiVersion;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.plugin.PluginLoadException;
import org.rlhf4j.host.wiring.GuiceExtensions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The root of the {@code rlhf} command line: the options every command inherits, the mapping of failures to
 * exit codes, and the runtime's own commands ({@code run}, {@code config}, {@code plugins}). Each area module
 * brings its own commands; the distribution's {@code Main} puts them all under one root.
 */
@Command(name = "rlhf", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "rlhf4j: the ChatGPT-style training loop (data, pretrain, SFT, reward model, PPO) from one HOCON file.",
        footer = ExitCodes.HELP)
public final class Cli {

    private static final Logger log = LoggerFactory.getLogger(Cli.class);

    /** The commands of the runtime itself, in the order {@code rlhf --help} lists them. */
    public static final List<Supplier<Object>> CORE_COMMANDS = List.of(RunCommand::new, ConfigCommand::new, PluginsCommand::new);

    @Option(names = "--plugins", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
            description = "A plugins folder loaded after the distribution's plugins/ (overrides plugins.dir;"
                    + " --set plugins.builtin=false leaves the distribution's out).")
    Path pluginsDir;

    /** -v: the libraries' warnings and PF4J's messages too (quiet by default). */
    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Show the libraries' messages too (DJL, PF4J, CUDA detection), quiet by default.")
    void verbose(boolean on) {
        if (on && org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
            for (String name : List.of("ai.djl", "ai.djl.util.cuda.CudaUtils", "org.pf4j")) {
                ctx.getLogger(name).setLevel(ch.qos.logback.classic.Level.INFO);
            }
        }
    }

    private final Class<?> mainClass;

    private Cli(Class<?> mainClass) {
        this.mainClass = mainClass;
    }

    /** The {@code --plugins} folder, or null for {@code plugins.dir}. */
    public Path pluginsDir() {
        return pluginsDir;
    }

    /** The class whose {@code main} runs this command line: what a command starts a child JVM with. */
    public Class<?> mainClass() {
        return mainClass;
    }

    /**
     * Runs the command line with the core commands and {@code commands} (fresh instances per call: picocli keeps
     * option values in them) and returns the exit code. Tests call this in-process.
     */
    public static int execute(Class<?> mainClass, List<Supplier<Object>> commands, String... args) {
        CommandLine cl = new CommandLine(new Cli(mainClass));
        for (Supplier<Object> c : CORE_COMMANDS) {
            cl.addSubcommand(c.get());
        }
        for (Supplier<Object> c : commands) {
            cl.addSubcommand(c.get());
        }
        cl.addSubcommand(new CommandLine.HelpCommand());
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
        // Every message goes through Secrets.scrub: an error body or a JDBC URL may carry a secret of the config.
        java.io.PrintWriter raw = commandLine.getErr();
        var err = new java.io.PrintWriter(raw, true) {
            @Override
            public void println(String s) {
                super.println(org.rlhf4j.host.config.Secrets.scrub(s));
            }
        };
        if (t instanceof GuiceExtensions.UnknownExtension ue && ue.pluginFailed()) {
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
            String v = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"rlhf4j " + (v == null ? "dev" : v) + ", plugin api " + ApiVersion.current()};
        }
    }
}
