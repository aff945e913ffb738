package org.rlhf4j.host.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.Supplier;
import org.rlhf4j.host.cli.Cli;

/**
 * Runs {@code rlhf} in this JVM: the real CLI, config loading, plugin loading from a folder and Guice wiring.
 * The runtime's commands ({@code run}, {@code config}, {@code plugins}) are always there; a module's tests add
 * their own commands ({@code new RunHarness(DataCommand::new)}).
 */
public final class RunHarness {

    /** Exit code and what the command printed on stderr. */
    public record Result(int exitCode, String err) {
    }

    private final List<Supplier<Object>> commands;

    @SafeVarargs
    public RunHarness(Supplier<Object>... commands) {
        this.commands = List.of(commands);
    }

    /** An empty plugins folder {@code dir}/plugins: the host's built-ins alone. */
    public static Path noPlugins(Path dir) throws IOException {
        return Files.createDirectories(dir.resolve("plugins"));
    }

    /**
     * Copies the plugin zips of the folder named by the system property {@code rlhf.test.plugins} into
     * {@code dir}/plugins, for tests of a host run with plugins.
     */
    public static Path plugins(Path dir) throws IOException {
        Path plugins = noPlugins(dir);
        String from = System.getProperty("rlhf.test.plugins");
        if (from == null) {
            throw new IllegalStateException("set the system property rlhf.test.plugins to a folder of plugin zips");
        }
        try (var zips = Files.list(Path.of(from))) {
            for (Path zip : zips.filter(p -> p.toString().endsWith(".zip")).toList()) {
                Files.copy(zip, plugins.resolve(zip.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return plugins;
    }

    /** {@code rlhf --plugins <plugins> args...}, capturing stderr. */
    public Result rlhf(Path plugins, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--plugins";
        all[1] = plugins.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return capture(all);
    }

    /** {@code rlhf args...} as given (no {@code --plugins}), capturing stderr. */
    public Result capture(String... args) {
        synchronized (RunHarness.class) {
            PrintStream previous = System.err;
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
                System.setErr(out);
                int code = Cli.execute(RunHarness.class, commands, args);
                return new Result(code, buffer.toString(StandardCharsets.UTF_8));
            } finally {
                System.setErr(previous);
            }
        }
    }
}
