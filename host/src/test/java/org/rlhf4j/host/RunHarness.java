package org.rlhf4j.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.rlhf4j.host.cli.Main;

/**
 * Runs {@code rlhf} in this JVM for stage tests: the real CLI, config loading and Guice wiring, with the
 * four plugin archives the host module depends on (copied to target/test-plugins by the build).
 */
public final class RunHarness {

    /** Exit code and what the command printed on stderr. */
    public record Result(int exitCode, String err) {
    }

    private RunHarness() {
    }

    /** Copies the plugin zips the build laid out for tests (target/test-plugins) into {@code dir}/plugins. */
    public static Path plugins(Path dir) throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path source = Path.of(System.getProperty("rlhf.test.plugins", "target/test-plugins"));
        try (var zips = Files.list(source)) {
            for (Path zip : zips.filter(p -> p.toString().endsWith(".zip")).toList()) {
                Files.copy(zip, plugins.resolve(zip.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return plugins;
    }

    /** {@code rlhf --plugins <plugins> args...}, capturing stderr. */
    public static synchronized Result rlhf(Path plugins, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--plugins";
        all[1] = plugins.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        PrintStream previous = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            System.setErr(capture);
            int code = Main.execute(all);
            return new Result(code, buffer.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(previous);
        }
    }
}
