package org.rlhf4j.host.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.AnnotationTask.Kind;
import org.rlhf4j.host.annotate.AnnotateFixture.Reply;
import org.rlhf4j.host.annotate.store.Accounts.Role;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.rlhf4j.host.annotate.store.LabelStore;
import org.rlhf4j.host.annotate.store.TaskStore.Status;
import org.rlhf4j.host.annotate.web.AnnotationServer;

/** The JSON API: bad requests get 4xx and store nothing; overlap, blindness, the review queue, A/B order. */
class AnnotationApiTest {

    @TempDir
    Path dir;

    private AnnotationStore store;
    private AnnotationServer server;
    private final Map<String, String> tokens = new HashMap<>();

    private String start(int overlap) throws Exception {
        return start(overlap, "");
    }

    private String start(int overlap, String conf) throws Exception {
        store = AnnotationStore.open("jdbc:sqlite:" + dir.resolve("annotations.db"));
        tokens.putAll(AnnotateFixture.accounts(store));
        queue(new AnnotationTask("t1", Kind.RANK, "Capital of France?", List.of("Paris.", "Lyon.", "Paris!"), Map.of("category", "qa")));
        queue(new AnnotationTask("c1", Kind.COMPARE, "2+2?", List.of("4", "5"), Map.of("model_a", "sft", "model_b", "ppo")));
        store.tasks().put(new AnnotationTask("r1", Kind.RANK, "Flagged prompt", List.of("a", "b"), Map.of()), null, 0);
        store.tasks().setStatus("r1", Status.REVIEW, "screening", "leading wording");
        server = AnnotationServer.start(store, AnnotateFixture.settings("annotate.overlap = " + overlap + "\n" + conf), "127.0.0.1", 0);
        return server.url();
    }

    private void queue(AnnotationTask t) {
        AnnotateFixture.queue(store, t);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private static Map<String, Object> rankLabel(String submission, int version, List<Integer> ranks) {
        Map<String, Object> m = new HashMap<>();
        m.put("submission_id", submission);
        m.put("task_id", "t1");
        m.put("task_version", version);
        m.put("ranks", ranks);
        m.put("ratings", List.of(6, 2, 6));
        m.put("flags", List.of(List.of(), List.of("hallucination"), List.of()));
        return m;
    }

    @Test
    void badRequestsAreRefusedWithAMessageAndStoreNothing() throws Exception {
        String base = start(1);
        assertEquals(401, AnnotateFixture.call(base, "POST", "/api/tasks/next", null, null).status());
        Reply wrong = AnnotateFixture.call(base, "POST", "/api/labels", "not-a-token", rankLabel("sub-00001", 1, List.of(1, 2, 1)));
        assertEquals(401, wrong.status());
        assertEquals("unknown or revoked token", wrong.body().path("error").asText());
        Reply next = AnnotateFixture.call(base, "POST", "/api/tasks/next?kind=rank", tokens.get("alice"), null);
        assertEquals("t1", next.body().path("task").path("id").asText());

        Map<String, Object> noId = rankLabel("sub-00001", 1, List.of(1, 2, 1));
        noId.remove("submission_id");
        assertError(base, "alice", noId, 400, "submission_id");
        assertError(base, "alice", rankLabel("sub-00002", 1, List.of(1, 4, 1)), 400, "from 1 to 3");
        Map<String, Object> noRatings = rankLabel("sub-00003", 1, List.of(1, 2, 1));
        noRatings.remove("ratings");
        assertError(base, "alice", noRatings, 400, "ratings is required");
        Map<String, Object> badFlag = rankLabel("sub-00004", 1, List.of(1, 2, 1));
        badFlag.put("flags", List.of(List.of("boring"), List.of(), List.of()));
        assertError(base, "alice", badFlag, 400, "unknown flag 'boring'");
        assertError(base, "bob", rankLabel("sub-00005", 1, List.of(1, 2, 1)), 404, "no task 't1' assigned to you");
        assertError(base, "alice", rankLabel("sub-00006", 7, List.of(1, 2, 1)), 409, "has no version 7 (its current version is 1)");
        Map<String, Object> unknown = rankLabel("sub-00007", 1, List.of(1, 2, 1));
        unknown.put("task_id", "nope");
        assertError(base, "alice", unknown, 404, "no task 'nope'");
        assertEquals(400, AnnotateFixture.call(base, "POST", "/api/labels", tokens.get("alice"), "{not json").status());
        assertEquals(0, store.labels().all().size(), "a refused request stored something");

        Reply ok = AnnotateFixture.call(base, "POST", "/api/labels", tokens.get("alice"), rankLabel("sub-00008", 1, List.of(1, 2, 1)));
        assertEquals(201, ok.status(), ok.body().toString());
        Reply again = AnnotateFixture.call(base, "POST", "/api/labels", tokens.get("alice"), rankLabel("sub-00008", 1, List.of(1, 2, 1)));
        assertEquals(200, again.status());
        assertTrue(again.body().path("duplicate").asBoolean());
        List<LabelStore.StoredLabel> stored = store.labels().all();
        assertEquals(1, stored.size());
        assertEquals(List.of(1, 2, 1), stored.get(0).label().ranks());
        assertEquals(List.of("hallucination"), stored.get(0).label().flags().get(1));
        assertEquals(LabelStore.Source.WEB, stored.get(0).source());
    }

    private void assertError(String base, String who, Object body, int status, String message) throws Exception {
        Reply r = AnnotateFixture.call(base, "POST", "/api/labels", tokens.get(who), body);
        assertEquals(status, r.status(), r.body().toString());
        assertTrue(r.body().path("error").asText().contains(message), r.body().toString());
    }

    @Test
    void overlapGivesEachItemToNPeopleWhoNeverSeeEachOthersLabels() throws Exception {
        String base = start(2);
        for (String who : List.of("alice", "bob")) {
            assertEquals("t1", AnnotateFixture.call(base, "POST", "/api/tasks/next?kind=rank", tokens.get(who), null)
                    .body().path("task").path("id").asText());
        }
        assertTrue(AnnotateFixture.call(base, "POST", "/api/tasks/next?kind=rank", tokens.get("carol"), null).body().path("task").isNull(),
                "a third annotator got an item whose overlap of 2 was reached");
        assertEquals(201, AnnotateFixture.call(base, "POST", "/api/labels", tokens.get("alice"),
                rankLabel("alice-0001", 1, List.of(1, 3, 2))).status());
        Reply bobs = AnnotateFixture.call(base, "GET", "/api/labels/mine", tokens.get("bob"), null);
        assertEquals(0, bobs.body().path("labels").size());
        Reply bobView = AnnotateFixture.call(base, "POST", "/api/tasks/next?kind=rank", tokens.get("bob"), null);
        assertFalse(bobView.body().toString().contains("alice"), bobView.body().toString());
        assertFalse(bobView.body().path("task").has("labels"));
        Reply history = AnnotateFixture.call(base, "GET", "/api/tasks/t1/history", tokens.get("bob"), null);
        assertEquals(0, history.body().path("revisions").size());
    }

    @Test
    void flaggedTasksWaitForAnAdminAndNeverReachAnnotators() throws Exception {
        String base = start(1);
        List<String> served = new ArrayList<>();
        JsonNode t;
        while (!(t = AnnotateFixture.call(base, "POST", "/api/tasks/next", tokens.get("alice"), null).body().path("task")).isNull()) {
            String shown = t.path("id").asText();
            String id = store.tasks().aliased(shown).orElse(shown); // a comparison is shown under its alias
            served.add(id);
            store.labels().add("x-" + served.size() + "-padding", 1, LabelStore.Source.WEB,
                    new org.rlhf4j.api.annotate.Label(id, "alice", null, null, null, null, null, null, null));
        }
        // every unflagged task, each once (in no promised order); the flagged r1 never
        assertEquals(2, served.size(), served.toString());
        assertEquals(java.util.Set.of("t1", "c1"), new java.util.HashSet<>(served));
        assertEquals(403, AnnotateFixture.call(base, "GET", "/api/admin/review", tokens.get("alice"), null).status());
        Reply review = AnnotateFixture.call(base, "GET", "/api/admin/review", tokens.get("admin"), null);
        assertEquals("r1", review.body().path("tasks").path(0).path("id").asText());
        assertEquals("leading wording", review.body().path("tasks").path(0).path("reasons").asText());
        assertEquals(200, AnnotateFixture.call(base, "POST", "/api/admin/review", tokens.get("admin"),
                Map.of("task_id", "r1", "decision", "approve")).status());
        assertEquals("r1", AnnotateFixture.call(base, "POST", "/api/tasks/next", tokens.get("alice"), null)
                .body().path("task").path("id").asText());
        Reply progress = AnnotateFixture.call(base, "GET", "/api/admin/progress", tokens.get("admin"), null);
        assertEquals(3, progress.body().path("tasks").size());
        JsonNode alice = progress.body().path("annotators").path(0);
        assertEquals("alice", alice.path("name").asText());
        assertEquals(2, alice.path("labelled").asInt());
        assertEquals(3, alice.path("assigned").asInt());
    }

    @Test
    void comparisonsAreBlindAndMappedBackToTheStoredOrder() throws Exception {
        String base = start(1);
        for (String who : List.of("alice", "bob", "carol")) {
            JsonNode task = AnnotateFixture.call(base, "POST", "/api/tasks/next?kind=compare", tokens.get(who), null).body().path("task");
            if (task.isNull()) {
                continue;
            }
            assertFalse(task.toString().contains("sft") || task.toString().contains("ppo"), "model names leaked: " + task);
            // Prefer whichever answer is "4", wherever it is shown.
            boolean fourFirst = task.path("answers").path(0).asText().equals("4");
            Reply r = AnnotateFixture.call(base, "POST", "/api/labels", tokens.get(who), Map.of("submission_id", who + "-cmp-1",
                    "task_id", task.path("id").asText(), "task_version", 1, "ranks", fourFirst ? List.of(1, 2) : List.of(2, 1), "reason", "B is wrong"));
            assertEquals(201, r.status(), r.body().toString());
            assertEquals(List.of(1, 2), store.labels().forTask("c1").get(0).label().ranks());
        }
        String alias = AnnotateFixture.call(base, "GET", "/api/labels/mine", tokens.get("alice"), null).body()
                .path("labels").path(0).path("task_id").asText();
        Map<String, Object> noReason = Map.of("submission_id", "alice-cmp-2", "task_id", alias, "task_version", 1, "ranks", List.of(1, 2));
        assertTrue(AnnotateFixture.call(base, "POST", "/api/labels", tokens.get("alice"), noReason).status() >= 400);
    }
}
