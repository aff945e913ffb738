package org.rlhf4j.host.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import org.rlhf4j.host.annotate.store.TaskStore.Status;
import org.rlhf4j.host.annotate.web.AnnotationServer;

/**
 * The API's rules: claiming a task is a POST; a reused submission id with another label is a conflict; gapped
 * and all-tied rankings need a setting; a conflict names the version sent and the current one; a task that
 * is not yours looks like one that does not exist; tokens rotate and revoke; admins release abandoned
 * assignments; fully labelled tasks are complete; blind A/B order and ids give nothing away.
 */
class AnnotationApiRulesTest {

    @TempDir
    Path dir;

    private AnnotationStore store;
    private AnnotationServer server;
    private final Map<String, String> tokens = new HashMap<>();

    private String start(String conf, AnnotationTask... tasks) throws Exception {
        store = AnnotationStore.open("jdbc:sqlite:" + dir.resolve("annotations.db"));
        tokens.putAll(AnnotateFixture.accounts(store));
        queue(new AnnotationTask("t1", Kind.RANK, "Capital of France?", List.of("Paris.", "Lyon.", "Paris!"), Map.of()));
        for (AnnotationTask t : tasks) {
            queue(t);
        }
        server = AnnotationServer.start(store, AnnotateFixture.settings(conf), "127.0.0.1", 0);
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

    private static Map<String, Object> label(String submission, int version, List<Integer> ranks) {
        Map<String, Object> m = new HashMap<>();
        m.put("submission_id", submission);
        m.put("task_id", "t1");
        m.put("task_version", version);
        m.put("ranks", ranks);
        m.put("ratings", List.of(6, 2, 6));
        return m;
    }

    private Reply post(String base, String who, String path, Object body) throws Exception {
        return AnnotateFixture.call(base, "POST", path, tokens.get(who), body);
    }

    private JsonNode claim(String base, String who, String kind) throws Exception {
        Reply r = post(base, who, "/api/tasks/next" + (kind == null ? "" : "?kind=" + kind), null);
        assertEquals(200, r.status(), r.body().toString());
        return r.body().path("task");
    }

    @Test
    void claimingTheNextTaskIsAPostAndAGetChangesNothing() throws Exception {
        String base = start("");
        Reply get = AnnotateFixture.call(base, "GET", "/api/tasks/next", tokens.get("alice"), null);
        assertEquals(405, get.status());
        assertTrue(get.body().path("error").asText().contains("use POST"), get.body().toString());
        assertTrue(store.tasks().assignments().isEmpty(), "a GET assigned a task");
        assertEquals("t1", claim(base, "alice", null).path("id").asText());
        assertEquals(List.of("alice"), store.tasks().assignments().get("t1"));
    }

    @Test
    void aReusedSubmissionIdWithAnotherLabelIsAConflictAndTheFirstStays() throws Exception {
        String base = start("");
        claim(base, "alice", null);
        assertEquals(201, post(base, "alice", "/api/labels", label("sub-same-1", 1, List.of(1, 2, 1))).status());
        Reply retry = post(base, "alice", "/api/labels", label("sub-same-1", 1, List.of(1, 2, 1)));
        assertEquals(200, retry.status());
        assertTrue(retry.body().path("duplicate").asBoolean());
        Reply other = post(base, "alice", "/api/labels", label("sub-same-1", 1, List.of(2, 1, 3)));
        assertEquals(409, other.status(), other.body().toString());
        assertTrue(other.body().path("error").asText().contains("already used for a different label"), other.body().toString());
        Map<String, Object> reordered = label("sub-same-1", 1, List.of(1, 2, 1));
        reordered.put("reason", "changed my mind");
        assertEquals(409, post(base, "alice", "/api/labels", reordered).status());
        assertEquals(1, store.labels().all().size());
        assertEquals(List.of(1, 2, 1), store.labels().all().get(0).label().ranks());
    }

    @Test
    void gappedAndAllTiedRankingsAreRefusedUnlessASettingAllowsThem() throws Exception {
        String base = start("");
        claim(base, "alice", null);
        Reply gap = post(base, "alice", "/api/labels", label("sub-gap-01", 1, List.of(1, 3, 1)));
        assertEquals(400, gap.status());
        assertTrue(gap.body().path("error").asText().contains("skip [2]")
                && gap.body().path("error").asText().contains("[1, 2, 1]"), gap.body().toString());
        Reply tied = post(base, "alice", "/api/labels", label("sub-tie-01", 1, List.of(2, 2, 2)));
        assertEquals(400, tied.status());
        Reply allOnes = post(base, "alice", "/api/labels", label("sub-tie-02", 1, List.of(1, 1, 1)));
        assertTrue(allOnes.body().path("error").asText().contains("tie every answer"), allOnes.body().toString());
        assertTrue(store.labels().all().isEmpty());
        server.close();
        store.close();
        tokens.clear();
        dir = dir.resolve("allowed");
        java.nio.file.Files.createDirectories(dir);
        base = start("annotate.ranks { allow-gaps = true, allow-all-tied = true }");
        claim(base, "alice", null);
        assertEquals(201, post(base, "alice", "/api/labels", label("sub-gap-01", 1, List.of(1, 3, 1))).status());
        assertEquals(201, post(base, "alice", "/api/labels", label("sub-tie-02", 1, List.of(1, 1, 1))).status());
    }

    @Test
    void aVersionConflictNamesTheVersionSentAndTheCurrentOne() throws Exception {
        String base = start("");
        JsonNode shown = claim(base, "alice", null);
        assertEquals(1, shown.path("version").asInt());
        store.tasks().put(new AnnotationTask("t1", Kind.RANK, "Capital of France? (fixed)", List.of("Paris.", "Lyon.", "Paris!"),
                Map.of()), null, 0);
        Reply stale = post(base, "alice", "/api/labels", label("sub-stale-1", 1, List.of(1, 2, 1)));
        assertEquals(409, stale.status());
        assertEquals(1, stale.body().path("task_version").asInt());
        assertEquals(2, stale.body().path("current_version").asInt());
        assertTrue(stale.body().path("error").asText().contains("you sent version 1, it is now version 2"), stale.body().toString());
        Reply ahead = post(base, "alice", "/api/labels", label("sub-stale-2", 5, List.of(1, 2, 1)));
        assertEquals(409, ahead.status());
        assertTrue(ahead.body().path("error").asText().contains("has no version 5 (its current version is 2)"), ahead.body().toString());
        assertEquals(2, ahead.body().path("current_version").asInt());
        assertEquals(201, post(base, "alice", "/api/labels", label("sub-fresh-1", 2, List.of(1, 2, 1))).status());
    }

    @Test
    void aTaskThatIsNotYoursAnswersExactlyLikeOneThatDoesNotExist() throws Exception {
        String base = start("");
        claim(base, "alice", null);
        Map<String, Object> missing = label("sub-bob-002", 1, List.of(1, 2, 1));
        missing.put("task_id", "t9");
        Reply notMine = post(base, "bob", "/api/labels", label("sub-bob-001", 1, List.of(1, 2, 1)));
        Reply none = post(base, "bob", "/api/labels", missing);
        assertEquals(404, notMine.status());
        assertEquals(404, none.status());
        assertEquals(notMine.body().toString().replace("t1", "X"), none.body().toString().replace("t9", "X"));
        Reply historyMine = AnnotateFixture.call(base, "GET", "/api/tasks/t1/history", tokens.get("bob"), null);
        Reply historyNone = AnnotateFixture.call(base, "GET", "/api/tasks/t9/history", tokens.get("bob"), null);
        assertEquals(404, historyMine.status());
        assertEquals(historyMine.body().toString().replace("t1", "X"), historyNone.body().toString().replace("t9", "X"));
    }

    @Test
    void tokensAreRotatedAndRevoked() throws Exception {
        String base = start("");
        String old = tokens.get("alice");
        assertEquals(403, post(base, "bob", "/api/admin/accounts/rotate", Map.of("name", "alice")).status());
        Reply rotated = post(base, "admin", "/api/admin/accounts/rotate", Map.of("name", "alice"));
        assertEquals(200, rotated.status(), rotated.body().toString());
        String fresh = rotated.body().path("token").asText();
        assertNotEquals(old, fresh);
        assertEquals(401, AnnotateFixture.call(base, "GET", "/api/me", old, null).status(), "the rotated-out token still works");
        assertEquals(200, AnnotateFixture.call(base, "GET", "/api/me", fresh, null).status());
        Reply revoked = post(base, "admin", "/api/admin/accounts/revoke", Map.of("name", "bob"));
        assertEquals(1, revoked.body().path("revoked_tokens").asInt());
        assertEquals(401, AnnotateFixture.call(base, "GET", "/api/me", tokens.get("bob"), null).status());
        assertEquals(404, post(base, "admin", "/api/admin/accounts/revoke", Map.of("name", "nobody")).status());
        Reply progress = AnnotateFixture.call(base, "GET", "/api/admin/progress", tokens.get("admin"), null);
        for (JsonNode a : progress.body().path("annotators")) {
            assertEquals(!a.path("name").asText().equals("bob"), a.path("active").asBoolean(), a.toString());
        }
        // rotating a revoked account lets it in again, with the new token only
        String back = post(base, "admin", "/api/admin/accounts/rotate", Map.of("name", "bob")).body().path("token").asText();
        assertEquals(200, AnnotateFixture.call(base, "GET", "/api/me", back, null).status());
        assertEquals(401, AnnotateFixture.call(base, "GET", "/api/me", tokens.get("bob"), null).status());
    }

    @Test
    void anAdminReleasesAnAbandonedAssignmentSoSomeoneElseGetsTheTask() throws Exception {
        String base = start("annotate.overlap = 1");
        assertEquals("t1", claim(base, "alice", "rank").path("id").asText());
        assertTrue(claim(base, "bob", "rank").isNull(), "the overlap of 1 was already reached");
        Reply progress = AnnotateFixture.call(base, "GET", "/api/admin/progress", tokens.get("admin"), null);
        assertEquals("alice", progress.body().path("open_assignments").path(0).path("annotator").asText());
        assertEquals(403, post(base, "bob", "/api/admin/assignments/release", Map.of("task_id", "t1", "annotator", "alice")).status());
        Reply released = post(base, "admin", "/api/admin/assignments/release", Map.of("task_id", "t1", "annotator", "alice"));
        assertEquals(200, released.status(), released.body().toString());
        assertEquals("t1", released.body().path("released").path(0).asText());
        assertEquals(404, post(base, "admin", "/api/admin/assignments/release", Map.of("task_id", "t1", "annotator", "alice")).status());
        assertEquals("t1", claim(base, "bob", "rank").path("id").asText());
        assertEquals(404, post(base, "alice", "/api/labels", label("sub-alice-1", 1, List.of(1, 2, 1))).status(),
                "a released annotator could still label");
        assertTrue(claim(base, "alice", "rank").isNull(), "a released annotator got the task back");
        assertEquals(201, post(base, "bob", "/api/labels", label("sub-bob-0001", 1, List.of(1, 2, 1))).status());
        assertEquals(409, post(base, "admin", "/api/admin/assignments/release", Map.of("task_id", "t1", "annotator", "bob")).status());
    }

    @Test
    void aTaskLabelledByOverlapPeopleIsCompleteAndStillRevisable() throws Exception {
        String base = start("annotate.overlap = 2");
        for (String who : List.of("alice", "bob")) {
            claim(base, who, "rank");
            assertEquals(Status.QUEUED, store.tasks().status("t1").orElseThrow());
            assertEquals(201, post(base, who, "/api/labels", label(who + "-label-1", 1, List.of(1, 2, 1))).status());
        }
        assertEquals(Status.COMPLETE, store.tasks().status("t1").orElseThrow());
        Reply progress = AnnotateFixture.call(base, "GET", "/api/admin/progress", tokens.get("admin"), null);
        assertEquals("complete", progress.body().path("tasks").path(0).path("status").asText());
        assertEquals(1, progress.body().path("totals").path("complete").asInt());
        assertTrue(claim(base, "carol", "rank").isNull());
        assertEquals(201, post(base, "alice", "/api/labels", label("alice-label-2", 1, List.of(2, 1, 3))).status(),
                "a person could not revise their label of a complete task");
    }

    @Test
    void aStoreFromBeforeCompleteMarksItsFullyLabelledTasksWhenServed() throws Exception {
        store = AnnotationStore.open("jdbc:sqlite:" + dir.resolve("annotations.db"));
        queue(new AnnotationTask("t1", Kind.RANK, "p", List.of("a", "b"), Map.of()));
        queue(new AnnotationTask("t2", Kind.RANK, "p", List.of("a", "b"), Map.of()));
        store.labels().add("old-label-1", 1, org.rlhf4j.host.annotate.store.LabelStore.Source.WEB,
                new org.rlhf4j.api.annotate.Label("t1", "alice", List.of(1, 2), List.of(), List.of(), List.of(), null, null, Map.of()));
        server = AnnotationServer.start(store, AnnotateFixture.settings("annotate.overlap = 1"), "127.0.0.1", 0);
        assertEquals(Status.COMPLETE, store.tasks().status("t1").orElseThrow());
        assertEquals(Status.QUEUED, store.tasks().status("t2").orElseThrow());
    }

    /** The evaluate stage's shape: the previous model's answer first, the stage evaluated in the id. */
    private static AnnotationTask evaluation(int i) {
        return new AnnotationTask("evaluate:ppo:" + i, Kind.COMPARE, "Question " + i + "?", List.of("previous " + i, "current " + i),
                Map.of("model_a", "sft", "model_b", "ppo", "source", "evaluate", "category", "qa"));
    }

    @Test
    void blindComparisonsHideWhichSideIsWhichFromEverythingTheAnnotatorReads() throws Exception {
        int n = 40;
        AnnotationTask[] tasks = new AnnotationTask[n];
        for (int i = 0; i < n; i++) {
            tasks[i] = evaluation(i);
        }
        String base = start("annotate.overlap = 1", tasks);
        List<Boolean> swapped = new ArrayList<>(java.util.Collections.nCopies(n, false));
        int agreesWithPlainHash = 0;
        for (int i = 0; i < n; i++) {
            JsonNode t = claim(base, "alice", "compare");
            String text = t.toString();
            assertFalse(text.contains("evaluate") || text.contains("ppo") || text.contains("sft"), "the stage or a model leaked: " + text);
            assertTrue(t.path("id").asText().startsWith("ab-"), text);
            int index = Integer.parseInt(t.path("prompt").asText().replaceAll("\\D", ""));
            boolean currentFirst = t.path("answers").path(0).asText().startsWith("current");
            swapped.set(index, currentFirst);
            int h = ("evaluate:ppo:" + index + "\u0000alice").hashCode();
            if ((((h ^ (h >>> 16)) & 1) == 1) == currentFirst) {
                agreesWithPlainHash++;
            }
            // the real id is no handle for an annotator
            Map<String, Object> byRealId = Map.of("submission_id", "alice-real-" + i, "task_id", "evaluate:ppo:" + index,
                    "task_version", 1, "ranks", List.of(1, 2), "reason", "first is better");
            assertEquals(404, post(base, "alice", "/api/labels", byRealId).status());
            // prefer the answer shown first
            Reply r = post(base, "alice", "/api/labels", Map.of("submission_id", "alice-ab-" + i, "task_id", t.path("id").asText(),
                    "task_version", 1, "ranks", List.of(1, 2), "reason", "first is better"));
            assertEquals(201, r.status(), r.body().toString());
            List<Integer> stored = store.labels().find("alice-ab-" + i).orElseThrow().label().ranks();
            assertEquals(currentFirst ? List.of(2, 1) : List.of(1, 2), stored, "not mapped back to the stored order");
        }
        assertTrue(swapped.contains(true) && swapped.contains(false), "the order never varies: " + swapped);
        assertTrue(agreesWithPlainHash < n, "the order is the old hash of task id and annotator name");
        // my labels come back as I sent them: ranks in the order shown, under the alias
        for (JsonNode l : AnnotateFixture.call(base, "GET", "/api/labels/mine", tokens.get("alice"), null).body().path("labels")) {
            if (l.path("task_id").asText().equals("t1")) {
                continue;
            }
            assertTrue(l.path("task_id").asText().startsWith("ab-"), l.toString());
            assertEquals("[1,2]", l.path("label").path("ranks").toString(), "the stored order shows through: " + l);
            assertFalse(l.toString().contains("evaluate"), l.toString());
        }
        // another store (another secret) draws other orders for the same tasks and person
        server.close();
        store.close();
        tokens.clear();
        dir = dir.resolve("second");
        java.nio.file.Files.createDirectories(dir);
        base = start("annotate.overlap = 1", tasks);
        List<Boolean> second = new ArrayList<>(java.util.Collections.nCopies(n, false));
        for (int i = 0; i < n; i++) {
            JsonNode t = claim(base, "alice", "compare");
            int index = Integer.parseInt(t.path("prompt").asText().replaceAll("\\D", ""));
            second.set(index, t.path("answers").path(0).asText().startsWith("current"));
            store.labels().add("pad-" + i + "-xx", 1, org.rlhf4j.host.annotate.store.LabelStore.Source.WEB,
                    new org.rlhf4j.api.annotate.Label("evaluate:ppo:" + index, "alice", List.of(1, 2), List.of(), List.of(),
                            List.of(), null, "x", Map.of()));
        }
        assertNotEquals(swapped, second, "two stores (two secrets) drew the same orders");
    }
}
