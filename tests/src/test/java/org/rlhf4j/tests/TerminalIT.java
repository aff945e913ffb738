package org.rlhf4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run in a real terminal (tmux, 80 columns): log lines stay whole above the one live progress line, and each
 * stage's last progress line reads cleanly. Skipped where tmux is not installed (.ci/run installs it).
 */
class TerminalIT {

    private static boolean tmux() {
        try {
            return new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static String sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    @Test
    void logLinesStayWholeAboveOneLiveProgressLine(@TempDir Path dir) throws Exception {
        assumeTrue(tmux(), "tmux is not installed");
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Path done = dir.resolve("done");
        String session = "rlhf-terminal-" + ProcessHandle.current().pid();
        String command = "cd " + repo + " && RLHF_JAVA_OPTS='-Xmx2g -Dai.djl.pytorch.num_threads=1' " + Cli.dist().resolve("bin/rlhf")
                + " run configs/smoke/deepspeed.conf --set run.output=" + dir.resolve("run") + " --set pretrain.steps=120"
                + "; echo $? > " + done + "; sleep 300";
        sh("tmux", "new-session", "-d", "-x", "80", "-y", "40", "-s", session, command);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (!Files.exists(done) && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertTrue(Files.exists(done), "the run did not end in 240 s");
            assertEquals("0", Files.readString(done).trim());
            // -J joins lines the terminal wrapped; -S - takes the whole scrollback.
            List<String> screen = sh("tmux", "capture-pane", "-p", "-J", "-S", "-", "-t", session).lines()
                    .filter(l -> !l.isBlank()).toList();
            String all = String.join("\n", screen);
            for (String stage : List.of("pretrain", "sft", "reward", "ppo")) {
                assertTrue(screen.stream().anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d INFO  Pipeline - stage " + stage
                        + ": finished in [0-9.]+ s")), "the finished line of " + stage + " is whole:\n" + all);
            }
            List<String> bars = screen.stream().filter(l -> l.contains("% [")).toList();
            assertTrue(bars.stream().anyMatch(l -> l.startsWith("pretrain: train 100% [====================] 120/120 ")), all);
            for (String bar : bars) {
                assertFalse(bar.matches(".*\\d\\d:\\d\\d:\\d\\d (INFO|WARN).*"), "a log line was drawn over a progress line: " + bar);
                assertFalse(bar.contains("?/s"), bar);
                assertTrue(bar.length() < 80, "the progress line fits the terminal: " + bar);
            }
            assertFalse(all.contains("CudaUtils"), "CUDA detection warnings are quiet by default");
        } finally {
            sh("tmux", "kill-session", "-t", session);
        }
    }
}
