package org.rlhf4j.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the built distribution's {@code bin/rlhf} as a separate process, as a user would. */
final class Cli {

    /** What one run printed and returned. */
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private Cli() {
    }

    /** The distribution folder the build laid out (host/dist/target/rlhf4j). */
    static Path dist() {
        Path d = Path.of(System.getProperty("rlhf.dist", "../host/dist/target/rlhf4j")).toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(d.resolve("bin/rlhf")), "no built distribution at " + d + ": run `mvn package` first");
        return d;
    }

    /** Starts {@code rlhf args...} in {@code workDir} without waiting. */
    static Process start(Path workDir, Path stdout, Path stderr, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(dist().resolve("bin/rlhf").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        pb.environment().put("RLHF_JAVA_OPTS", "-Xmx2g -Dai.djl.pytorch.num_threads=1");
        return pb.start();
    }

    /** Runs {@code rlhf args...} in {@code workDir} and waits (at most two minutes). */
    static Result run(Path workDir, String... args) throws Exception {
        Path out = Files.createTempFile("rlhf-out", ".txt");
        Path err = Files.createTempFile("rlhf-err", ".txt");
        Process p = start(workDir, out, err, args);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("rlhf " + String.join(" ", args) + " did not finish in 120 s");
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }
}
