package org.rlhf4j.host.annotate.interchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.AnnotationTask.Kind;
import org.rlhf4j.api.annotate.Label;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.rlhf4j.host.annotate.store.LabelStore;
import org.rlhf4j.host.annotate.store.TaskStore.Status;
import org.rlhf4j.host.annotate.web.Blinding;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The store's queued tasks exported as Label Studio projects and Argilla datasets (their structure checked),
 * and a Label Studio project annotated as Label Studio would and exported back: the labels land on the
 * original tasks, in stored answer order (also for a blind comparison shown in a drawn order), without a new
 * task version.
 */
class InterchangeExportTest {

    private static final List<String> FLAGS = List.of("hallucination", "harmful-advice");

    @TempDir
    Path dir;

    private AnnotationStore store;
    private int comparisons;
    private boolean swapped;

    @BeforeEach
    void open() {
        store = AnnotationStore.open("jdbc:sqlite:" + dir.resolve("annotations.db"));
        queue(new AnnotationTask("r1", Kind.RANK, "Name a fruit.", List.of("apple", "stone", "pear"), Map.of("category", "open_qa")));
        Blinding blinding = new Blinding(store);
        do { // comparisons until one is shown swapped, so that the round trip must put it back in stored order
            AnnotationTask t = new AnnotationTask("evaluate/cmp-" + comparisons++, Kind.COMPARE, "Say hello.",
                    List.of("old answer", "new answer"), Map.of("model_a", "sft", "model_b", "ppo", "category", "chat"));
            queue(t);
            swapped = blinding.order(store.tasks().latest(t.id()).orElseThrow(), LabelStudioImport.TOOL).equals(List.of(1, 0));
        } while (!swapped);
        queue(new AnnotationTask("e1", Kind.EDIT, "explain tides", List.of("The moon."), Map.of()));
        store.tasks().put(new AnnotationTask("unscreened", Kind.RANK, "p", List.of("a", "b"), Map.of()), null, 0);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void queue(AnnotationTask t) {
        store.tasks().put(t, null, 0);
        store.tasks().setStatus(t.id(), Status.QUEUED, "test", "");
    }

    private static JsonNode json(Path file) throws Exception {
        return JsonFiles.JSON.readTree(Files.readString(file));
    }

    private static Document xml(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    @Test
    void labelStudioProjectsPerKindWithAMatchingInterface() throws Exception {
        Path out = dir.resolve("ls");
        List<String> written = LabelStudioExport.write(store, List.of(Status.QUEUED), FLAGS, out);
        assertEquals(List.of("compare-2 (" + comparisons + " task(s))", "edit-1 (1 task(s))", "rank-3 (1 task(s))"), written,
                "queued tasks only, one project per kind and number of answers");

        JsonNode rank = json(out.resolve("rank-3/tasks.json")).get(0).get("data");
        assertEquals("r1", rank.get("task_id").asText());
        assertEquals("rank", rank.get("kind").asText());
        assertEquals("stone", rank.get("answer_2").asText());
        assertEquals("answer_3", rank.get("answers").get(2).get("id").asText());
        assertEquals("pear", rank.get("answers").get(2).get("body").asText());
        Document config = xml(out.resolve("rank-3/config.xml"));
        Element ranker = (Element) config.getElementsByTagName("Ranker").item(0);
        assertEquals("answers", ranker.getAttribute("toName"));
        assertEquals(3, ranker.getElementsByTagName("Bucket").getLength(), "a bucket per rank: tied answers share one");
        assertEquals("rank_1", ((Element) ranker.getElementsByTagName("Bucket").item(0)).getAttribute("name"));
        assertEquals(3, config.getElementsByTagName("Rating").getLength());
        assertEquals("7", ((Element) config.getElementsByTagName("Rating").item(0)).getAttribute("maxRating"));
        assertEquals(6, config.getElementsByTagName("Choice").getLength(), "each answer's flags");

        JsonNode cmp = json(out.resolve("compare-2/tasks.json")).get(0).get("data");
        assertTrue(cmp.get("task_id").asText().startsWith("ab-"), "a blind comparison is known by its alias: " + cmp);
        assertFalse(cmp.toString().contains("evaluate") || cmp.toString().contains("ppo"), "no stage or model name: " + cmp);
        Element pairwise = (Element) xml(out.resolve("compare-2/config.xml")).getElementsByTagName("Pairwise").item(0);
        assertEquals("answer_1,answer_2", pairwise.getAttribute("toName"));

        Document edit = xml(out.resolve("edit-1/config.xml"));
        assertEquals(2, edit.getElementsByTagName("TextArea").getLength());
        assertEquals("$prompt", ((Element) edit.getElementsByTagName("TextArea").item(0)).getAttribute("value"));
    }

    @Test
    void labelStudioRoundTripLandsOnTheOriginalTasks() throws Exception {
        Path out = dir.resolve("ls");
        LabelStudioExport.write(store, List.of(Status.QUEUED), FLAGS, out);
        ArrayNode exported = JsonFiles.JSON.createArrayNode();
        int id = 1;
        for (String project : List.of("rank-3", "compare-2", "edit-1")) {
            for (JsonNode t : json(out.resolve(project + "/tasks.json"))) {
                ObjectNode task = exported.addObject().put("id", id++);
                task.set("data", t.get("data"));
                ObjectNode a = task.putArray("annotations").addObject().put("id", 900 + id).put("completed_by", 12)
                        .put("was_cancelled", false);
                ArrayNode result = a.putArray("result");
                switch (project) {
                    case "rank-3" -> {
                        ObjectNode buckets = result.addObject().put("type", "ranker").put("from_name", "rank").put("to_name", "answers")
                                .putObject("value").putObject("ranker");
                        buckets.putArray("rank_1").add("answer_3");
                        buckets.putArray("rank_2").add("answer_1").add("answer_2");
                        for (int i = 1; i <= 3; i++) {
                            result.addObject().put("type", "rating").put("from_name", "rating_" + i).put("to_name", "prompt")
                                    .putObject("value").put("rating", i + 2);
                        }
                        result.addObject().put("type", "choices").put("from_name", "flags_2").put("to_name", "prompt")
                                .putObject("value").putArray("choices").add("hallucination");
                    }
                    case "compare-2" -> {
                        result.addObject().put("type", "pairwise").put("from_name", "pick").put("to_name", "answer_1,answer_2")
                                .putObject("value").put("selected", "left");
                        result.addObject().put("type", "textarea").put("from_name", "reason").put("to_name", "prompt")
                                .putObject("value").putArray("text").add("friendlier");
                    }
                    default -> result.addObject().put("type", "textarea").put("from_name", "edited_answer").put("to_name", "prompt")
                            .putObject("value").putArray("text").add("Tides come from the moon's pull on the oceans.");
                }
            }
        }
        Path back = dir.resolve("project-export.json");
        Files.writeString(back, JsonFiles.pretty(exported));
        int before = store.tasks().all().size();

        StoreImport.Counts c = LabelStudioImport.run(back, store, ProjectLayout.DEFAULT, Map.of("12", "alice"));
        assertEquals(2 + comparisons, c.tasks());
        assertEquals(0, c.newTasks(), "every item is a task of the store");
        assertEquals(2 + comparisons, c.labels());
        assertEquals(before, store.tasks().all().size());

        Label rank = only("r1");
        assertEquals(List.of(2, 2, 1), rank.ranks(), "answer_3 best, answer_1 and answer_2 tied");
        assertEquals(List.of(3, 4, 5), rank.ratings());
        assertEquals(List.of(List.of(), List.of("hallucination"), List.of()), rank.flags());

        JsonNode shown = json(out.resolve("compare-2/tasks.json"));
        int swappedBack = 0;
        for (int i = 0; i < comparisons; i++) {
            JsonNode data = shown.get(i).get("data");
            String real = new Blinding(store).resolve(data.get("task_id").asText()).orElseThrow();
            Label cmp = only(real);
            boolean newLeft = data.get("answer_1").asText().equals("new answer");
            swappedBack += newLeft ? 1 : 0;
            assertEquals(newLeft ? List.of(2, 1) : List.of(1, 2), cmp.ranks(), real + ": the answer shown left is ranked first, in stored order");
            assertEquals("friendlier", cmp.reason());
        }
        assertTrue(swappedBack > 0, "at least one comparison was shown swapped");
        assertEquals("Tides come from the moon's pull on the oceans.", only("e1").meta().get("answer"));
        assertEquals("explain tides", only("e1").meta().get("prompt"), "no edited prompt: the task's own");
        for (String t : List.of("r1", "evaluate/cmp-0", "e1")) {
            assertEquals(1, store.tasks().latest(t).orElseThrow().version(), t + " keeps its version");
            assertEquals(Status.LABELLED, store.tasks().status(t).orElseThrow());
        }

        ((ObjectNode) exported.get(0).get("data")).put("answer_2", "a changed answer");
        Files.writeString(back, JsonFiles.pretty(exported));
        String m = assertThrows(StageFailure.class, () -> LabelStudioImport.run(back, store, ProjectLayout.DEFAULT, Map.of()))
                .getMessage();
        assertTrue(m.startsWith(back + ": task 0 (id 1)") && m.contains("differ from the store's task 'r1'"), m);
    }

    private Label only(String taskId) {
        List<LabelStore.StoredLabel> labels = store.labels().forTask(taskId);
        assertEquals(1, labels.size(), taskId + ": " + labels);
        assertEquals("alice", labels.get(0).label().annotator());
        return labels.get(0).label();
    }

    @Test
    void argillaDatasetsAsToDiskWritesThemAndTheirRecordsComeBack() throws Exception {
        Path out = dir.resolve("argilla");
        assertEquals(3, ArgillaExport.write(store, List.of(Status.QUEUED), FLAGS, out).size());
        JsonNode settings = json(out.resolve("rank-3/.argilla/settings.json"));
        List<String> fields = new ArrayList<>();
        settings.get("fields").forEach(f -> fields.add(f.get("name").asText() + ":" + f.get("settings").get("type").asText()));
        assertEquals(List.of("prompt:text", "answer_1:text", "answer_2:text", "answer_3:text"), fields);
        List<String> questions = new ArrayList<>();
        settings.get("questions").forEach(q -> questions.add(q.get("name").asText() + ":" + q.get("settings").get("type").asText()));
        assertEquals(List.of("rank:ranking", "rating_1:rating", "flags_1:multi_label_selection", "rating_2:rating",
                "flags_2:multi_label_selection", "rating_3:rating", "flags_3:multi_label_selection", "reason:text"), questions);
        assertEquals(7, settings.get("questions").get(1).get("settings").get("options").size());
        assertEquals("rlhf4j-rank-3", json(out.resolve("rank-3/.argilla/dataset.json")).get("name").asText());
        JsonNode record = json(out.resolve("rank-3/records.json")).get(0);
        assertEquals("r1", record.get("id").asText());
        assertEquals("Name a fruit.", record.get("fields").get("prompt").asText());
        assertEquals("open_qa", record.get("metadata").get("category").asText());
        JsonNode edit = json(out.resolve("edit-1/records.json")).get(0);
        assertEquals("The moon.", edit.get("suggestions").get("edited_answer").get("value").asText(), "pre-filled by a suggestion");
        JsonNode compare = json(out.resolve("compare-2/.argilla/settings.json"));
        assertEquals("preference", compare.get("questions").get(0).get("name").asText());
        assertEquals(3, compare.get("questions").get(0).get("settings").get("options").size());

        ObjectNode responses = (ObjectNode) record.get("responses");
        responses.putArray("rank").addObject().put("user_id", "u-1").putArray("value").add("answer_2").add("answer_1").add("answer_3");
        for (int i = 1; i <= 3; i++) {
            responses.putArray("rating_" + i).addObject().put("user_id", "u-1").put("value", 8 - i);
        }
        Path records = dir.resolve("records.json");
        Files.writeString(records, JsonFiles.pretty(JsonFiles.JSON.createArrayNode().add(record)));
        StoreImport.Counts c = ArgillaImport.run(records, store, ProjectLayout.DEFAULT, Map.of("u-1", "alice"));
        assertEquals(0, c.newTasks());
        Label l = only("r1");
        assertEquals(List.of(2, 1, 3), l.ranks());
        assertEquals(List.of(7, 6, 5), l.ratings());
    }
}
