package org.rlhf4j.host.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

    @Test
    void aLineShowsPercentBarCountTimeRateAndStatusWithSpaces() {
        ConsoleProgress p = new ConsoleProgress("ppo: train", 30, false);
        p.status("reward 1.23 kl 0.01");
        String line = p.line(System.nanoTime());
        assertTrue(line.startsWith("ppo: train   0% [                    ] 0/30 0:00"), line);
        assertTrue(line.endsWith("  reward 1.23 kl 0.01"), "the status is set off by two spaces: " + line);
        assertTrue(!line.contains("?"), line);
    }

    @Test
    void aFinishedTaskShowsNoEtaAndAnUnknownTotalNoBar() throws Exception {
        ConsoleProgress p = new ConsoleProgress("sft: train", 4, false);
        Thread.sleep(60);
        p.step(4);
        String done = p.line(System.nanoTime());
        assertTrue(done.startsWith("sft: train 100% [====================] 4/4 0:00 "), done);
        assertTrue(!done.contains("ETA") && done.matches(".* [0-9.]+/s$"), done);
        ConsoleProgress open = new ConsoleProgress("acquire: read", 0, false);
        assertEquals("acquire: read 0 0:00", open.line(System.nanoTime()));
    }

    @Test
    void aResumedStagesSkippedStepsDoNotCountInTheRate() throws Exception {
        ConsoleProgress p = new ConsoleProgress("pretrain: train", 1000, false);
        p.step(900); // at once: the checkpoint's steps
        Thread.sleep(100);
        p.step(1);
        String line = p.line(System.nanoTime());
        double rate = Double.parseDouble(line.replaceAll(".* ([0-9.]+)/s$", "$1"));
        assertTrue(rate < 100, "one step in a tenth of a second, not 901: " + line);
    }

    @Test
    void logLinesLandAboveTheLiveLineWhichIsCutToTheWidth() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminalLine t = new TerminalLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), 30);
        String bar = "sft: train  50% [==========          ] 5/10 0:05 ETA 0:05";
        t.show(bar);
        t.log("INFO stage sft: a log line\n".getBytes(StandardCharsets.UTF_8));
        t.end("sft: train 100% done");
        String s = bytes.toString(StandardCharsets.UTF_8);
        String live = bar.substring(0, 28) + "…"; // one column short of the width: the cursor never wraps
        assertEquals("\r\033[K" + live + "\r\033[KINFO stage sft: a log line\n" + live + "\r\033[Ksft: train 100% done\n", s);
        assertEquals("line one⏎line two  bell", t.fit("line one\nline two\t\u0007bell").replace("…", ""));
    }
}
