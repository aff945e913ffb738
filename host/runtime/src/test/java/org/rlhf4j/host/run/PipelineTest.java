package org.rlhf4j.host.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Injector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.cli.Session;
import org.rlhf4j.host.metrics.JsonlMetrics;

/**
 * The run's one path rule ({@link RunContext#resolve}) as a stage meets it through {@code StageContext.input}:
 * relative to the run directory, absolute as given, a missing input named; and publishing on success only.
 */
class PipelineTest {

    @TempDir
    Path dir;

    private void run(String from) throws Exception {
        Path runDir = dir.resolve("run");
        Path conf = Files.writeString(dir.resolve("copy.conf"), "run { output = \"%s\", stages = [test-copy] }\ntest-copy.from = \"%s\"\n"
                .formatted(runDir, from));
        try (Session s = Session.open(conf, List.of(), java.nio.file.Files.createDirectories(dir.resolve("no-plugins")));
             JsonlMetrics m = new JsonlMetrics(dir.resolve("metrics.jsonl"));
             RunDirectory rd = RunDirectory.open(runDir)) {
            Injector injector = s.injector(m);
            Pipeline p = new Pipeline(List.of("test-copy"), injector.getInstance(Extensions.class), injector.getInstance(RunContext.class), rd);
            Map<String, Stage> stages = p.prepare();
            p.run(stages, false);
        }
    }

    @Test
    void aRelativeInputIsAnOutputInTheRunDirectory() throws Exception {
        Files.createDirectories(dir.resolve("run/data"));
        Files.writeString(dir.resolve("run/data/in.txt"), "from the run");
        Files.writeString(dir.resolve("data-in-working-dir.txt"), "not this one");
        run("data/in.txt");
        assertEquals("from the run", Files.readString(dir.resolve("run/data/copy.txt")));
    }

    @Test
    void anAbsoluteInputIsTakenAsItIs() throws Exception {
        Path elsewhere = Files.writeString(dir.resolve("elsewhere.txt"), "absolute");
        run(elsewhere.toString());
        assertEquals("absolute", Files.readString(dir.resolve("run/data/copy.txt")));
    }

    @Test
    void aMissingInputNamesThePathAndPublishesNothing() {
        Pipeline.StageException e = assertThrows(Pipeline.StageException.class, () -> run("data/absent.jsonl"));
        assertTrue(e.getCause() instanceof StageFailure, e.toString());
        String msg = e.getCause().getMessage();
        assertTrue(msg.contains("stage test-copy needs " + dir.resolve("run/data/absent.jsonl").toAbsolutePath().normalize()), msg);
        assertFalse(Files.exists(dir.resolve("run/data/copy.txt")));
        assertFalse(Files.exists(dir.resolve("run/.stages/test-copy.done")));
    }

    @Test
    void theRuleIsOneFunction() {
        Path runDir = Path.of("runs", "r");
        assertEquals(runDir.resolve("checkpoints/sft").toAbsolutePath(), RunContext.resolve(runDir, "checkpoints/sft"));
        assertEquals(Path.of("/data/x.jsonl"), RunContext.resolve(runDir, "/data/x.jsonl"));
        assertEquals(runDir.resolve("x").toAbsolutePath(), RunContext.resolve(runDir, "data/../x"));
    }
}
