package org.rlhf4j.host.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Injector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.cli.Session;
import org.rlhf4j.host.metrics.tensorboard.EventFileReader;

/**
 * The sinks {@code run.metrics.sinks} selects by name through the real catalog and injector: every call reaches each
 * of them, an unknown or repeated name fails up front, and a failing sink is named while the others still work.
 */
class RunMetricsTest {

    @TempDir
    Path dir;

    private Session session(String hocon) throws Exception {
        Path conf = Files.writeString(dir.resolve("run.conf"),
                "run.output = \"" + dir.resolve("run") + "\"\n" + hocon);
        return Session.open(conf, List.of(), Files.createDirectories(dir.resolve("no-plugins")));
    }

    private static void open(Session s, RunMetrics metrics) {
        Injector injector = s.injector(metrics);
        metrics.open(injector.getInstance(Extensions.class), injector.getInstance(RunContext.class), s.config);
    }

    @Test
    void byDefaultEveryStepGoesToMetricsJsonlAndATensorBoardEventFile() throws Exception {
        try (Session s = session(""); RunMetrics metrics = new RunMetrics()) {
            open(s, metrics);
            assertEquals(List.of("jsonl", "tensorboard"), metrics.names());
            metrics.log("sft", 1, Map.of("loss", 2.5));
            metrics.log("sft", 2, Map.of("loss", 1.5));
        }
        List<String> lines = Files.readAllLines(dir.resolve("run/metrics.jsonl"));
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).contains("\"loss\":1.5"), lines.get(1));
        List<EventFileReader.Event> events = EventFileReader.read(onlyEventFile(dir.resolve("run/tensorboard")));
        assertEquals(List.of(Map.of("sft/loss", 2.5f), Map.of("sft/loss", 1.5f)),
                events.subList(1, 3).stream().map(EventFileReader.Event::values).toList());
    }

    @Test
    void anUnknownSinkFailsListingTheKnownOnes() throws Exception {
        try (Session s = session("\nrun.metrics.sinks = [jsonl, tensorbord]\n"); RunMetrics metrics = new RunMetrics()) {
            ConfigProblem e = assertThrows(ConfigProblem.class, () -> open(s, metrics));
            assertTrue(e.getMessage().startsWith("run.metrics.sinks (") && e.getMessage().contains("run.conf:3"), e.getMessage()); // after the run.output line
            assertTrue(e.getMessage().contains("no MetricsSinkFactory extension is named 'tensorbord'. Known: jsonl, tensorboard,"),
                    e.getMessage());
        }
        assertTrue(Files.notExists(dir.resolve("run/metrics.jsonl")), "nothing opened before the names were checked");
    }

    @Test
    void aSinkListedTwiceFails() throws Exception {
        try (Session s = session("run.metrics.sinks = [jsonl, jsonl]\n"); RunMetrics metrics = new RunMetrics()) {
            ConfigProblem e = assertThrows(ConfigProblem.class, () -> open(s, metrics));
            assertTrue(e.getMessage().contains("lists 'jsonl' twice"), e.getMessage());
        }
    }

    @Test
    void aFailingSinkIsNamedAndTheOthersStillGetEveryCallAndAreClosed() throws Exception {
        RunMetrics metrics = new RunMetrics();
        try (Session s = session("run.metrics.sinks = [test-failing-sink, jsonl]\n")) {
            open(s, metrics);
            RuntimeException e = assertThrows(RuntimeException.class, () -> metrics.log("ppo", 4, Map.of("reward", 0.25)));
            assertEquals("stage ppo, step 4: metrics sink 'test-failing-sink' failed: IllegalStateException: the dashboard is down",
                    e.getMessage());
            StageFailure closing = assertThrows(StageFailure.class, metrics::close);
            assertTrue(closing.getMessage().startsWith("metrics sink 'test-failing-sink' could not be closed"), closing.getMessage());
        }
        List<String> lines = Files.readAllLines(dir.resolve("run/metrics.jsonl"));
        assertEquals(1, lines.size(), "jsonl, listed after the failing sink, got the row");
        assertTrue(lines.get(0).contains("\"reward\":0.25"), lines.get(0));
        metrics.log("ppo", 5, Map.of("reward", 0.5)); // after close: delivered nowhere
        assertEquals(1, Files.readAllLines(dir.resolve("run/metrics.jsonl")).size());
    }

    @Test
    void aSinkThatCannotOpenIsNamedAndNothingIsLogged() throws Exception {
        Files.createDirectories(dir.resolve("run"));
        Files.writeString(dir.resolve("run/tensorboard"), "a file where the folder goes");
        try (Session s = session(""); RunMetrics metrics = new RunMetrics()) {
            StageFailure e = assertThrows(StageFailure.class, () -> open(s, metrics));
            assertTrue(e.getMessage().startsWith("metrics sink 'tensorboard' (run.metrics.sinks) could not be opened: "),
                    e.getMessage());
            assertThrows(IllegalStateException.class, () -> metrics.log("sft", 1, Map.of("loss", 1.0)));
        }
    }

    @Test
    void loggingBeforeTheSinksAreOpenIsAHostBug() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new RunMetrics().log("sft", 1, Map.of()));
        assertTrue(e.getMessage().contains("run.metrics.sinks"), e.getMessage());
    }

    static Path onlyEventFile(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), all.toString());
            assertTrue(all.get(0).getFileName().toString().startsWith("events.out.tfevents."), all.toString());
            return all.get(0);
        }
    }
}
