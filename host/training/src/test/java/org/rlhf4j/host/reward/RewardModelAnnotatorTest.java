package org.rlhf4j.host.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.testkit.DataTestKit;
import org.rlhf4j.host.testkit.FakeRunContext;
import org.rlhf4j.host.testkit.TinyCheckpoints;

/** The reward-model annotator holds its checkpoint from the first task until it is closed. */
class RewardModelAnnotatorTest {

    @Test
    void closeLetsGoOfTheLoadedCheckpoint(@TempDir Path dir) throws Exception {
        Path reward = TinyCheckpoints.write(dir.resolve("models")).resolve("reward");
        Config config = DataTestKit.config("reward-model.checkpoint = \"" + reward + "\"");
        RewardModelAnnotator annotator = new RewardModelAnnotator(config.getConfig("reward-model"), config, FakeRunContext.in(dir).withSeed(1));
        AnnotationTask task = new AnnotationTask("t", AnnotationTask.Kind.RANK, "say hi", List.of("hi", "hello"), Map.of());
        assertEquals(2, annotator.scores(task).size());
        try (Stream<Path> files = Files.walk(reward)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        assertEquals(2, annotator.scores(task).size(), "the checkpoint stays loaded while the annotator is open");
        annotator.close();
        StageFailure gone = assertThrows(StageFailure.class, () -> annotator.scores(task), "closed: nothing loaded any more");
        assertTrue(gone.getMessage().contains("does not exist"), gone.getMessage());
    }
}
