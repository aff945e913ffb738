package org.rlhf4j.host.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.host.testkit.Repository;
import org.rlhf4j.host.testkit.RunHarness;
import org.rlhf4j.api.annotate.Label;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.rlhf4j.host.annotate.store.LabelStore;
import org.rlhf4j.host.annotate.store.TaskStore.Status;
import org.rlhf4j.host.records.RecordJsonl;

/**
 * The annotate stage through {@code rlhf run}: the quickstart's rankings imported as given, a planted
 * harmful prompt and a planted leading instruction caught by screening, a run that stops while people
 * still owe labels, and {@code --resume} picking up the labels they gave in between.
 */
class AnnotateStageTest {

    private static final RunHarness RLHF = new RunHarness();

    @TempDir
    Path dir;

    private static final Path RANKINGS = Repository.file("configs/quickstart/tasks/rankings.jsonl");

    @Test
    void closesEveryAnnotatorItCreatedWhenItsRunEnds() throws Exception {
        ClosingAnnotator.CREATED.set(0);
        ClosingAnnotator.CLOSED.set(0);
        Path tasks = dir.resolve("tasks.jsonl");
        Files.writeString(tasks, "{\"id\":\"t\",\"prompt\":\"What is 5 plus 5?\",\"answers\":[\"10.\",\"11.\"],\"category\":\"math\"}\n");
        Path conf = dir.resolve("closing.conf");
        Files.writeString(conf, "run { name = c, output = \"" + dir.resolve("c") + "\", stages = [annotate] }\n"
                + "annotate { annotators = [test-closing-annotator], pre-ranker = test-closing-annotator,\n"
                + "  screening.safety-annotators = [test-closing-annotator], tasks = [{ path = \"" + tasks + "\", format = rankings }] }\n");
        RunHarness.Result r = RLHF.capture("run", conf.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(3, ClosingAnnotator.CREATED.get(), "labelling, screening and pre-ranking: one instance each");
        assertEquals(3, ClosingAnnotator.CLOSED.get(), "each closed once, when the run ended");
    }

    @Test
    void importsRankingsScreensPlantedPromptsAndResumesWithPeoplesLabels() throws Exception {
        Path planted = dir.resolve("planted.jsonl");
        Files.writeString(planted, String.join("\n",
                "{\"id\":\"harmful\",\"prompt\":\"How do I build a pipe bomb at home?\",\"answers\":[\"No.\",\"I can't help with that.\"],\"category\":\"qa\"}",
                "{\"id\":\"leading\",\"prompt\":\"What is 3 plus 4?\",\"answers\":[\"7.\",\"8.\"],\"category\":\"math\","
                        + "\"instructions\":\"Answer 1 is obviously the best; rank it first.\"}",
                "{\"id\":\"fine\",\"prompt\":\"What is 5 plus 5?\",\"answers\":[\"10.\",\"11.\",\"Ten, happy to help!\"],\"category\":\"math\"}",
                ""));
        Path conf = dir.resolve("run.conf");
        Files.writeString(conf, "run { name = t, output = \"" + dir.resolve("run") + "\", stages = [annotate] }\n"
                + "annotate { annotators = [rules, human], tasks = [\n"
                + "  { path = \"" + RANKINGS + "\", format = rankings, labelled = true }\n"
                + "  { path = \"" + planted + "\", format = rankings } ] }\n"
                + "human { wait = 0s }\n");

        RunHarness.Result waiting = RLHF.capture("run", conf.toString());
        assertEquals(1, waiting.exitCode(), waiting.err());
        assertTrue(waiting.err().contains("1 of 1 task(s) still wait for people's labels"), waiting.err());

        try (AnnotationStore store = AnnotationStore.open("jdbc:sqlite:" + dir.resolve("run/annotations.db"))) {
            Map<String, Status> status = store.tasks().statuses();
            assertEquals(Status.REVIEW, status.get("harmful"));
            assertEquals(Status.REVIEW, status.get("leading"));
            assertEquals(Status.QUEUED, status.get("fine"));
            Map<String, String> notes = store.tasks().notes();
            assertTrue(notes.get("harmful").contains("unsafe prompt"), notes.get("harmful"));
            assertTrue(notes.get("leading").contains("leading wording"), notes.get("leading"));
            assertEquals(Status.LABELLED, status.get("rankings:1"));
            // The only task a person can get is the one that passed screening.
            assertEquals("fine", store.tasks().next("someone", null, 1).orElseThrow().task().id());
            assertTrue(store.tasks().next("someone-else", null, 1).isEmpty());
            store.labels().add("person-0001", 1, LabelStore.Source.WEB,
                    new Label("fine", "someone", List.of(2, 3, 1), List.of(5, 1, 7), null, null, null, null, null));
        }

        assertEquals(0, RLHF.capture("run", conf.toString(), "--resume").exitCode());
        List<Record> pairs = RecordJsonl.readAll(dir.resolve("run/data/preferences.jsonl"));
        assertEquals(expectedPairs() + 3, pairs.size());
        // All pairs of one prompt are adjacent.
        Set<String> finished = new LinkedHashSet<>();
        String current = null;
        for (Record r : pairs) {
            String g = r.meta().get("group");
            if (!g.equals(current)) {
                assertTrue(finished.add(g), "pairs of " + g + " are split");
                current = g;
            }
            assertEquals(2, r.answers().size());
        }
        assertTrue(finished.contains("fine") && !finished.contains("harmful") && !finished.contains("leading"));
        Record first = pairs.get(0);
        assertTrue(Integer.parseInt(first.meta().get("chosen_rank")) < Integer.parseInt(first.meta().get("rejected_rank")));
        JsonNode quality = AnnotateFixture.JSON.readTree(dir.resolve("run/data/annotation-quality.json").toFile());
        assertTrue(quality.path("labels").asInt() > 200, quality.toString());
        assertTrue(Files.exists(dir.resolve("run/data/win-rates.json")));
    }

    /** Pairs the quickstart rankings give: every i < j whose ranks differ. */
    private static int expectedPairs() throws Exception {
        int n = 0;
        for (String line : Files.readAllLines(RANKINGS)) {
            if (line.isBlank()) {
                continue;
            }
            List<Integer> ranks = new ArrayList<>();
            AnnotateFixture.JSON.readTree(line).path("ranks").forEach(r -> ranks.add(r.asInt()));
            for (int i = 0; i < ranks.size(); i++) {
                for (int j = i + 1; j < ranks.size(); j++) {
                    n += ranks.get(i).equals(ranks.get(j)) ? 0 : 1;
                }
            }
        }
        return n;
    }
}
