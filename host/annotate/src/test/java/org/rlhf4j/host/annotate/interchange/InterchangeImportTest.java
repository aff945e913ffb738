package org.rlhf4j.host.annotate.interchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.annotate.AnnotationTask.Kind;
import org.rlhf4j.api.annotate.Label;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.annotate.export.AnnotationExports;
import org.rlhf4j.host.annotate.settings.AnnotateSettings;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.rlhf4j.host.annotate.store.LabelStore;
import org.rlhf4j.host.annotate.store.TaskStore.Status;

/**
 * Label Studio and Argilla exports (samples written from their documented formats, in test resources) imported
 * into a real SQLite store: annotators, ranks with ties in the store's convention, ratings, picks, edits; and
 * a malformed file fails naming the file and the task, storing nothing.
 */
class InterchangeImportTest {

    @TempDir
    Path dir;

    private AnnotationStore store;

    @BeforeEach
    void open() {
        store = AnnotationStore.open("jdbc:sqlite:" + dir.resolve("annotations.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    static Path sample(String name) throws Exception {
        return Path.of(InterchangeImportTest.class.getResource(name).toURI());
    }

    private Label label(String taskId, String annotator) {
        return LabelStore.latest(store.labels().forTask(taskId)).stream().map(LabelStore.StoredLabel::label)
                .filter(l -> l.annotator().equals(annotator)).findFirst()
                .orElseThrow(() -> new AssertionError("no label of " + annotator + " for " + taskId + ": " + store.labels().all()));
    }

    @Test
    void labelStudioRankerBucketsAreTiesAndEachAnnotatorALabel() throws Exception {
        StoreImport.Counts c = LabelStudioImport.run(sample("label-studio-ranker.json"), store, ProjectLayout.DEFAULT,
                Map.of("12", "alice"));
        assertEquals(1, c.tasks());
        assertEquals(1, c.newTasks());
        assertEquals(2, c.labels(), "the cancelled annotation brings no label");
        assertEquals(1, c.withoutLabels(), "the task without annotations is skipped");
        assertEquals(List.of("alice", "label-studio:bo@example.org"), c.annotators());

        String id = "label-studio:label-studio-ranker:101";
        var task = store.tasks().latest(id).orElseThrow().task();
        assertEquals(Kind.RANK, task.kind());
        assertEquals(List.of("Put it in boiling water for 8 minutes.", "Fry it.", "Boil water, add the egg, wait 8 minutes, cool it."),
                task.answers());
        assertEquals(Status.LABELLED, store.tasks().status(id).orElseThrow());
        Label alice = label(id, "alice");
        assertEquals(List.of(1, 2, 1), alice.ranks(), "answers a and c share bucket rank_1: a tie");
        assertEquals(List.of(6, 2, 6), alice.ratings());
        assertEquals(List.of(2, 3, 1), label(id, "label-studio:bo@example.org").ranks(), "a Ranker without buckets: ids best first");
        assertEquals(LabelStore.Source.IMPORT, store.labels().forTask(id).get(0).source());

        StoreImport.Counts again = LabelStudioImport.run(sample("label-studio-ranker.json"), store, ProjectLayout.DEFAULT,
                Map.of("12", "alice"));
        assertEquals(0, again.labels(), "importing the same file again stores nothing new");
        assertEquals(2, again.unchanged());
        assertEquals(2, store.labels().all().size());
        assertEquals(1, store.tasks().latest(id).orElseThrow().version());
    }

    @Test
    void importedTiesGiveNoPreferencePairInTheExports() throws Exception {
        LabelStudioImport.run(sample("label-studio-ranker.json"), store, ProjectLayout.DEFAULT, Map.of("12", "alice"));
        AnnotateSettings settings = AnnotateSettings.from(ConfigFactory.parseString("annotate.export.aggregate = per-label")
                .withFallback(ConfigFactory.parseResources("reference.conf")).resolve().getConfig("annotate"));
        new AnnotationExports(settings).write(store, dir);
        List<String> pairs = Files.readAllLines(dir.resolve("data/preferences.jsonl"));
        assertEquals(5, pairs.size(), "alice's [1, 2, 1] gives two pairs (her tie none), bo's [2, 3, 1] three: " + pairs);
        assertEquals(2, pairs.stream().filter(p -> p.contains("\"annotator\":\"alice\"")).count(), String.join("\n", pairs));
    }

    @Test
    void labelStudioPairwiseAndTieBecomeComparisons() throws Exception {
        StoreImport.Counts c = LabelStudioImport.run(sample("label-studio-pairwise.json"), store,
                new ProjectLayout("prompt", List.of("text1", "text2")), Map.of());
        assertEquals(3, c.labels());
        String first = "label-studio:label-studio-pairwise:201";
        assertEquals(Kind.COMPARE, store.tasks().latest(first).orElseThrow().task().kind());
        Label left = label(first, "label-studio:12");
        assertEquals(List.of(1, 2), left.ranks());
        assertEquals("faithful", left.reason());
        assertEquals(List.of(2, 1), label(first, "label-studio:13").ranks());
        assertEquals(List.of(1, 1), label("label-studio:label-studio-pairwise:202", "label-studio:12").ranks(), "a tie");
    }

    @Test
    void labelStudioTextAreasBecomeAnEdit() throws Exception {
        LabelStudioImport.run(sample("label-studio-edit.json"), store, ProjectLayout.DEFAULT, Map.of());
        String id = "label-studio:label-studio-edit:301";
        assertEquals(Kind.EDIT, store.tasks().latest(id).orElseThrow().task().kind());
        Label edit = label(id, "label-studio:12");
        assertEquals("Explain recursion to a beginner.", edit.meta().get("prompt"));
        assertEquals("Recursion is when a function calls itself on a smaller part of the problem\nuntil it reaches a base case.",
                edit.meta().get("answer"));
    }

    @Test
    void anUnknownResultTypeFailsNamingFileAndTaskAndStoresNothing() throws Exception {
        Path file = sample("label-studio-unknown-type.json");
        StageFailure e = assertThrows(StageFailure.class, () -> LabelStudioImport.run(file, store, ProjectLayout.DEFAULT, Map.of()));
        assertTrue(e.getMessage().startsWith(file + ": task 1 (id 402), annotation 0 (id 8002)"), e.getMessage());
        assertTrue(e.getMessage().contains("result type 'labels'"), e.getMessage());
        assertEquals(List.of(), store.tasks().all(), "the valid task before it is not stored either");
    }

    @Test
    void labelStudioMalformedTasksNameWhatIsWrong() throws Exception {
        Path notArray = dir.resolve("min.json");
        Files.writeString(notArray, "{\"data\": {}}");
        assertTrue(assertThrows(StageFailure.class, () -> LabelStudioImport.run(notArray, store, ProjectLayout.DEFAULT, Map.of()))
                .getMessage().contains("is an array of tasks"));
        Path partial = dir.resolve("partial.json");
        Files.writeString(partial, """
                [{"id": 9, "data": {"prompt": "p", "answer_1": "a", "answer_2": "b", "answer_3": "c"},
                  "annotations": [{"id": 1, "completed_by": 3, "result": [
                    {"type": "ranker", "from_name": "rank", "value": {"ranker": {"rank_1": ["answer_1"], "rank_2": ["answer_3"], "_": ["answer_2"]}}},
                    {"type": "rating", "from_name": "rating_9", "value": {"rating": 3}}]}]}]
                """);
        String m = assertThrows(StageFailure.class, () -> LabelStudioImport.run(partial, store, ProjectLayout.DEFAULT, Map.of())).getMessage();
        assertTrue(m.startsWith(partial + ": task 0 (id 9), annotation 0 (id 1)") && m.contains("[answer_2] unranked"), m);
        Path ratings = dir.resolve("ratings.json");
        Files.writeString(ratings, """
                [{"id": 10, "data": {"prompt": "p", "answer_1": "a", "answer_2": "b"}, "annotations": [
                  {"id": 1, "completed_by": 3, "result": [{"type": "rating", "from_name": "rating_1", "value": {"rating": 4}}]},
                  {"id": 2, "completed_by": 4, "result": [{"type": "rating", "from_name": "rating_2", "value": {"rating": 9}}]}]}]
                """);
        m = assertThrows(StageFailure.class, () -> LabelStudioImport.run(ratings, store, ProjectLayout.DEFAULT, Map.of())).getMessage();
        assertTrue(m.contains("annotation 1 (id 2), result rating 'rating_2': rating 9 of answer_2 is outside the store's scale 1-7"), m);
        Files.writeString(ratings, Files.readString(ratings).replace("\"rating\": 9", "\"rating\": 5"));
        m = assertThrows(StageFailure.class, () -> LabelStudioImport.run(ratings, store, ProjectLayout.DEFAULT, Map.of())).getMessage();
        assertTrue(m.contains("annotation 0 (id 1): ratings given for [answer_1] only"), m);
        assertEquals(List.of(), store.tasks().all());
    }

    @Test
    void argillaDiskDatasetWithItsSettingsAndFieldNames() throws Exception {
        StoreImport.Counts c = ArgillaImport.run(sample("argilla-disk"), store,
                new ProjectLayout("instruction", List.of("response1", "response2", "response3")), Map.of());
        assertEquals(1, c.tasks());
        assertEquals(2, c.labels());
        assertEquals(1, c.withoutLabels());
        String u1 = "argilla:7d1a0b2c-0000-4000-8000-000000000001";
        String u2 = "argilla:7d1a0b2c-0000-4000-8000-000000000002";
        assertEquals(List.of(u1, u2), c.annotators());
        assertEquals("Translate 'cat' to French.", store.tasks().latest("rec-1").orElseThrow().task().prompt());
        assertEquals(List.of(2, 3, 1), label("rec-1", u1).ranks(), "values best first, as the SDK exports a ranking");
        Label second = label("rec-1", u2);
        assertEquals(List.of(1, 3, 2), second.ranks());
        assertEquals(List.of(5, 2, 4), second.ratings());
        assertEquals("shortest correct one first", second.reason());
    }

    @Test
    void argillaApiRanksKeepTiesAndDraftsBringNoLabel() throws Exception {
        StoreImport.Counts c = ArgillaImport.run(sample("argilla-api-records.json"), store, ProjectLayout.DEFAULT, Map.of("u-1", "alice"));
        assertEquals(2, c.labels(), "u-2's draft is skipped");
        assertEquals(List.of(1, 1, 2), label("api-1", "alice").ranks(), "ranks 1, 1, 3: a tie, renumbered without a gap");
        Label third = label("api-1", "argilla:u-3");
        assertEquals(List.of(2, 1, 3), third.ranks());
        assertEquals(List.of(List.of(), List.of(), List.of("hallucination")), third.flags());
    }

    @Test
    void anUnknownArgillaQuestionFailsNamingFileAndRecord() throws Exception {
        Path file = sample("argilla-unknown-question.jsonl");
        String m = assertThrows(StageFailure.class, () -> ArgillaImport.run(file, store, ProjectLayout.DEFAULT, Map.of())).getMessage();
        assertTrue(m.startsWith(file + ": record 1 (id j-2), user u-9, question 'sentiment'"), m);
        assertEquals(List.of(), store.tasks().all());
    }
}
