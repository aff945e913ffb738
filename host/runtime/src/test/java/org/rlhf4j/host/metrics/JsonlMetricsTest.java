package org.rlhf4j.host.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlMetricsTest {

    @TempDir
    Path dir;

    @Test
    void aStepLoggedAgainAfterAResumeReplacesItsEarlierRow() throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        try (JsonlMetrics m = new JsonlMetrics(file)) { // killed after step 3; the checkpoint was at step 2
            for (int step = 1; step <= 3; step++) {
                m.log("pretrain", step, Map.of("loss", 10.0 - step));
            }
            m.log("pretrain", 2, Map.of("val-loss", 7.5)); // another kind of row at the same step stays
        }
        try (JsonlMetrics m = new JsonlMetrics(file)) { // the resumed run logs steps 3 and 4
            m.log("pretrain", 3, Map.of("loss", 7.0));
            m.log("pretrain", 4, Map.of("loss", 6.0));
            m.log("pretrain", -1, Map.of("event", "stage-finished"));
            m.log("pretrain", -1, Map.of("event", "stage-finished"));
        }
        List<String> rows = Files.readAllLines(file).stream().map(l -> l.replaceFirst("\"time\":[0-9.E]+,", "")).toList();
        assertEquals(List.of(
                "{\"stage\":\"pretrain\",\"step\":1,\"loss\":9.0}",
                "{\"stage\":\"pretrain\",\"step\":2,\"loss\":8.0}",
                "{\"stage\":\"pretrain\",\"step\":2,\"val-loss\":7.5}",
                "{\"stage\":\"pretrain\",\"step\":3,\"loss\":7.0}",
                "{\"stage\":\"pretrain\",\"step\":4,\"loss\":6.0}",
                "{\"stage\":\"pretrain\",\"step\":-1,\"event\":\"stage-finished\"}",
                "{\"stage\":\"pretrain\",\"step\":-1,\"event\":\"stage-finished\"}"), rows);
    }
}
