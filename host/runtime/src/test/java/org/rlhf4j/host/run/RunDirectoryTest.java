package org.rlhf4j.host.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void publishMovesStagedFilesButNotResumeState() throws Exception {
        try (RunDirectory run = RunDirectory.open(dir)) {
            Path staging = run.staging("filter");
            Files.createDirectories(staging.resolve("data"));
            Files.writeString(staging.resolve("data/filtered.jsonl"), "{}\n");
            Files.createDirectories(staging.resolve(RunDirectory.RESUME_DIR));
            Files.writeString(staging.resolve(RunDirectory.RESUME_DIR + "/step-10.bin"), "state");
            assertFalse(run.isFinished("filter"));

            run.publish("filter");

            assertEquals("{}\n", Files.readString(dir.resolve("data/filtered.jsonl")));
            assertFalse(Files.exists(dir.resolve(RunDirectory.RESUME_DIR)), "resume state is private to staging");
            assertFalse(Files.exists(staging));
            assertTrue(run.isFinished("filter"));
            assertEquals(List.of("filter"), run.finishedStages());
        }
    }

    @Test
    void publishReplacesAnOlderOutput() throws Exception {
        Files.writeString(dir.resolve("report.html"), "old");
        try (RunDirectory run = RunDirectory.open(dir)) {
            Files.createDirectories(run.staging("evaluate"));
            Files.writeString(run.staging("evaluate").resolve("report.html"), "new");
            run.publish("evaluate");
        }
        assertEquals("new", Files.readString(dir.resolve("report.html")));
    }

    @Test
    void oneProcessAtATime() {
        try (RunDirectory first = RunDirectory.open(dir)) {
            org.rlhf4j.api.stage.StageFailure e = assertThrows(org.rlhf4j.api.stage.StageFailure.class, () -> RunDirectory.open(dir));
            assertTrue(e.getMessage().contains("in use by another rlhf process"), e.getMessage());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
