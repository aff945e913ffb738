package com.example.rlhf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.testkit.FakeRunContext;
import org.rlhf4j.host.testkit.FakeStageContext;
import org.rlhf4j.host.testkit.PluginSettings;

/** Unit test: the stage run with a fake run and stage context; what it wrote and logged is checked. */
class SampleStageTest {

    @TempDir
    Path dir;

    private List<String> sample(long seed) throws Exception {
        FakeRunContext run = FakeRunContext.in(dir.resolve("run-" + seed)).withSeed(seed);
        Files.createDirectories(run.directory().resolve("data"));
        Files.write(run.directory().resolve("data/filtered.jsonl"),
                IntStream.rangeClosed(1, 20).mapToObj(i -> "{\"id\": \"" + i + "\"}").toList());
        FakeStageContext context = run.stage("example.sample");
        new SampleStage(PluginSettings.of("example.sample", "example.sample.count = 3"), run).run(context);

        assertEquals(20L, run.metrics().last("example.sample", "lines"));
        assertEquals(3, run.metrics().last("example.sample", "sampled"));
        return Files.readAllLines(context.output("example/sample.jsonl"));
    }

    @Test
    void writesASeededSampleInInputOrder() throws Exception {
        List<String> a = sample(7);
        assertEquals(3, a.size());
        assertEquals(a, sample(7), "the same seed gives the same sample");
        List<Integer> ids = a.stream().map(l -> Integer.parseInt(l.replaceAll("\\D", ""))).toList();
        assertEquals(ids.stream().sorted().toList(), ids, "lines keep their input order");
    }

    @Test
    void aMissingInputIsAStageFailureNamingThePath() {
        FakeRunContext run = FakeRunContext.in(dir);
        SampleStage stage = new SampleStage(PluginSettings.of("example.sample"), run);
        StageFailure f = assertThrows(StageFailure.class, () -> stage.run(run.stage("example.sample")));
        assertTrue(f.getMessage().contains("filtered.jsonl"), f.getMessage());
    }

    @Test
    void aNonPositiveCountFailsInTheConstructor() {
        assertThrows(ConfigProblem.class, () -> new SampleStage(
                PluginSettings.of("example.sample", "example.sample.count = 0"), FakeRunContext.in(dir)));
    }
}
