package org.rlhf4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 or Ctrl-C in the middle of a run: finished stages stay intact and --resume finishes the run. */
class KillResumeIT {

    /** A run of acme.hello, then acme.slow sleeping ten minutes. */
    private static Path slowRun(AcmeWorkspace ws) throws Exception {
        return ws.config("long.conf", """
                run { name = long, stages = [acme.hello, acme.slow] }
                acme.hello.recipient = you
                acme.slow.sleep-ms = 600000
                """);
    }

    /** Starts {@code rlhf run conf} and returns once acme.slow has started (its first attempt is on disk). */
    private static Process startUntilTheSlowStageRuns(AcmeWorkspace ws, Path dir, Path conf) throws Exception {
        Process p = Cli.start(dir, dir.resolve("out.txt"), dir.resolve("err.txt"),
                "--plugins", ws.plugins.toString(), "run", conf.toString());
        Path attempts = dir.resolve("runs/long/.staging/acme.slow/.resume/attempts.txt");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.exists(attempts) && System.nanoTime() < deadline && p.isAlive()) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(attempts), "the slow stage never started: " + Files.readString(dir.resolve("err.txt")));
        return p;
    }

    @Test
    void killedRunResumes(@TempDir Path dir) throws Exception {
        AcmeWorkspace ws = AcmeWorkspace.create(dir);
        Path conf = slowRun(ws);
        Path runDir = dir.resolve("runs/long");
        Process p = startUntilTheSlowStageRuns(ws, dir, conf);
        p.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));

        Path hello = runDir.resolve("acme/hello.txt");
        assertEquals("hello, you (seed 42)\n", Files.readString(hello), "the finished stage's output is intact");
        assertFalse(Files.exists(runDir.resolve(".stages/acme.slow.done")));
        FileTime helloTime = Files.getLastModifiedTime(hello);

        Cli.Result again = ws.rlhf("run", conf.toString());
        assertEquals(2, again.exitCode(), "a second run without --resume refuses the existing run dir\n" + again);
        assertTrue(again.err().contains("--resume"), again.toString());

        Cli.Result resumed = ws.rlhf("run", conf.toString(), "--resume", "--set", "acme.slow.sleep-ms=0");
        assertEquals(0, resumed.exitCode(), resumed.toString());
        assertTrue(resumed.err().contains("stage acme.hello: finished earlier, skipped"), resumed.toString());
        assertEquals("attempts=2 resuming=true\n", Files.readString(runDir.resolve("acme/slow.txt")),
                "the interrupted stage saw its earlier attempt's state");
        assertEquals(helloTime, Files.getLastModifiedTime(hello), "finished stages are not redone");
        assertFalse(Files.exists(runDir.resolve(".staging/acme.slow")), "staging is cleared once the stage finishes");
    }

    @Test
    void ctrlCEndsWith130AndSaysHowToResume(@TempDir Path dir) throws Exception {
        AcmeWorkspace ws = AcmeWorkspace.create(dir);
        Path conf = slowRun(ws);
        Path runDir = dir.resolve("runs/long");
        Process p = startUntilTheSlowStageRuns(ws, dir, conf);
        // what Ctrl-C sends to the process; bin/rlhf execs java, so the pid is the JVM's
        assertEquals(0, new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(130, p.exitValue());
        String err = Files.readString(dir.resolve("err.txt"));
        assertTrue(err.contains("interrupted: run long stopped; continue it with `rlhf run <config> --resume`"), err);
        assertTrue(Files.readString(runDir.resolve("run.log")).contains("interrupted: run long stopped"), "run.log has it too");
    }
}
