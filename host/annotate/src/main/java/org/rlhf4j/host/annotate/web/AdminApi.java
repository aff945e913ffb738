package org.rlhf4j.host.annotate.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.rlhf4j.host.annotate.settings.AnnotateSettings;
import org.rlhf4j.host.annotate.quality.Krippendorff;
import org.rlhf4j.host.annotate.quality.LabelQuality;
import org.rlhf4j.host.annotate.store.Accounts;
import org.rlhf4j.host.annotate.store.Accounts.Account;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.rlhf4j.host.annotate.store.LabelStore;
import org.rlhf4j.host.annotate.store.TaskStore;
import org.rlhf4j.host.annotate.store.TaskStore.StoredTask;

/**
 * The admin's half of the API: progress per task and annotator, label quality, the review queue of
 * flagged tasks (approve or reject), and accounts. Admins see counts and scores, not label contents.
 */
final class AdminApi {

    private final AnnotationStore store;
    private final AnnotateSettings settings;

    AdminApi(AnnotationStore store, AnnotateSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    void handle(Exchange ex) throws IOException {
        Account me = AnnotatorApi.authenticate(store, ex);
        if (me.role() != Accounts.Role.ADMIN) {
            throw new ApiError(403, "admin only: " + ex.path());
        }
        String path = ex.path();
        String method = ex.method();
        if (path.equals("/api/admin/progress") && method.equals("GET")) {
            progress(ex);
        } else if (path.equals("/api/admin/review") && method.equals("GET")) {
            reviewQueue(ex);
        } else if (path.equals("/api/admin/review") && method.equals("POST")) {
            decide(ex, me);
        } else if (path.equals("/api/admin/accounts") && method.equals("POST")) {
            createAccount(ex);
        } else if (path.equals("/api/admin/accounts/rotate") && method.equals("POST")) {
            rotate(ex, me);
        } else if (path.equals("/api/admin/accounts/revoke") && method.equals("POST")) {
            revoke(ex, me);
        } else if (path.equals("/api/admin/assignments/release") && method.equals("POST")) {
            release(ex, me);
        } else {
            throw new ApiError(404, "no endpoint " + method + " " + path + " (see docs/annotation-api.md)");
        }
    }

    private void progress(Exchange ex) throws IOException {
        Map<String, TaskStore.Status> status = store.tasks().statuses();
        Map<String, List<String>> assigned = store.tasks().assignments();
        List<StoredTask> tasks = store.tasks().all();
        List<LabelStore.StoredLabel> latest = LabelStore.latest(store.labels().all());
        Map<String, Set<String>> labelledBy = new TreeMap<>();
        Map<String, int[]> perAnnotator = new TreeMap<>();
        for (Account a : store.accounts().all()) {
            if (a.role() == Accounts.Role.ANNOTATOR) {
                perAnnotator.put(a.name(), new int[2]);
            }
        }
        assigned.forEach((task, who) -> who.forEach(w -> perAnnotator.computeIfAbsent(w, k -> new int[2])[0]++));
        for (LabelStore.StoredLabel s : latest) {
            labelledBy.computeIfAbsent(s.label().taskId(), k -> new HashSet<>()).add(s.label().annotator());
            if (s.source() == LabelStore.Source.WEB) {
                perAnnotator.computeIfAbsent(s.label().annotator(), k -> new int[2])[1]++;
            }
        }
        LabelQuality.Report report = new LabelQuality(settings.goldMinAgreement(), settings.minGoldLabels()).assess(tasks, latest);
        ObjectNode o = Exchange.JSON.createObjectNode();
        ArrayNode taskRows = o.putArray("tasks");
        Map<String, Integer> totals = new TreeMap<>();
        for (StoredTask t : tasks) {
            String id = t.task().id();
            String s = status.get(id).name().toLowerCase(Locale.ROOT);
            totals.merge(s, 1, Integer::sum);
            ObjectNode row = taskRows.addObject().put("id", id).put("kind", t.task().kind().name().toLowerCase(Locale.ROOT))
                    .put("status", s).put("gold", t.isGold()).put("needed", settings.overlap())
                    .put("assigned", assigned.getOrDefault(id, List.of()).size())
                    .put("labels", labelledBy.getOrDefault(id, Set.of()).size());
            putNumber(row, "ranking_alpha", report.agreement().get("ranking").perTask().getOrDefault(id, Double.NaN));
            putNumber(row, "rating_alpha", report.agreement().get("rating").perTask().getOrDefault(id, Double.NaN));
        }
        ArrayNode people = o.putArray("annotators");
        perAnnotator.forEach((name, c) -> {
            ObjectNode row = people.addObject().put("name", name).put("assigned", c[0]).put("labelled", c[1])
                    .put("active", store.accounts().active(name));
            LabelQuality.AnnotatorGold g = report.annotators().get(name);
            putNumber(row, "gold_agreement", g == null ? Double.NaN : g.meanAgreement());
            row.put("unreliable", g != null && g.unreliable());
        });
        ObjectNode t = o.putObject("totals");
        totals.forEach(t::put);
        ObjectNode agreement = o.putObject("agreement");
        for (Map.Entry<String, Krippendorff.Agreement> e : report.agreement().entrySet()) {
            putNumber(agreement, e.getKey(), e.getValue().alpha());
        }
        o.put("flagged_labels", report.flags().size());
        ArrayNode waiting = o.putArray("open_assignments");
        for (TaskStore.OpenAssignment a : store.tasks().openAssignments()) {
            waiting.addObject().put("task_id", a.taskId()).put("annotator", a.annotator()).put("assigned_at", a.assignedAt());
        }
        ex.sendJson(200, o);
    }

    private void reviewQueue(Exchange ex) throws IOException {
        Map<String, String> notes = store.tasks().notes();
        ObjectNode o = Exchange.JSON.createObjectNode();
        ArrayNode list = o.putArray("tasks");
        for (StoredTask t : store.tasks().all(TaskStore.Status.REVIEW)) {
            list.addObject().put("id", t.task().id()).put("kind", t.task().kind().name().toLowerCase(Locale.ROOT))
                    .put("prompt", t.task().prompt()).put("instructions", t.task().meta().getOrDefault("instructions", ""))
                    .put("reasons", notes.getOrDefault(t.task().id(), ""));
        }
        ex.sendJson(200, o);
    }

    private void decide(Exchange ex, Account me) throws IOException {
        ObjectNode body = ex.jsonBody();
        String taskId = body.path("task_id").asText("");
        String decision = body.path("decision").asText("");
        if (taskId.isEmpty() || !(decision.equals("approve") || decision.equals("reject"))) {
            throw ApiError.badRequest("send task_id and decision (approve or reject)");
        }
        TaskStore.Status now = store.tasks().status(taskId).orElseThrow(() -> new ApiError(404, "no task '" + taskId + "'"));
        if (now != TaskStore.Status.REVIEW) {
            throw new ApiError(409, "task '" + taskId + "' is not under review (" + now.name().toLowerCase(Locale.ROOT) + ")");
        }
        TaskStore.Status next = decision.equals("approve") ? TaskStore.Status.QUEUED : TaskStore.Status.REJECTED;
        store.tasks().setStatus(taskId, next, me.name(), body.path("note").asText(decision + "d by an admin"));
        ex.sendJson(200, Exchange.JSON.createObjectNode().put("task_id", taskId)
                .put("status", next.name().toLowerCase(Locale.ROOT)));
    }

    private void createAccount(Exchange ex) throws IOException {
        ObjectNode body = ex.jsonBody();
        String name = body.path("name").asText("");
        Accounts.Role role;
        try {
            role = Accounts.Role.valueOf(body.path("role").asText("annotator").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("role must be annotator or admin");
        }
        String token;
        try {
            token = store.accounts().create(name, role);
        } catch (IllegalArgumentException e) {
            throw new ApiError(e.getMessage().contains("already exists") ? 409 : 400, e.getMessage());
        }
        ex.sendJson(201, Exchange.JSON.createObjectNode().put("name", name)
                .put("role", role.name().toLowerCase(Locale.ROOT)).put("token", token));
    }

    /** {@code {"name"}}: a new token for the account, every earlier one revoked. */
    private void rotate(Exchange ex, Account me) throws IOException {
        String name = ex.jsonBody().path("name").asText("");
        String token;
        try {
            token = store.accounts().rotate(name, me.name());
        } catch (IllegalArgumentException e) {
            throw new ApiError(404, e.getMessage());
        }
        ex.sendJson(200, Exchange.JSON.createObjectNode().put("name", name).put("token", token));
    }

    /** {@code {"name"}}: revokes every token of the account (its labels stay; a rotation lets it in again). */
    private void revoke(Exchange ex, Account me) throws IOException {
        String name = ex.jsonBody().path("name").asText("");
        int revoked;
        try {
            revoked = store.accounts().revoke(name, me.name());
        } catch (IllegalArgumentException e) {
            throw new ApiError(404, e.getMessage());
        }
        ex.sendJson(200, Exchange.JSON.createObjectNode().put("name", name).put("revoked_tokens", revoked));
    }

    /**
     * {@code {"task_id", "annotator", "note"?}}: releases an assignment its annotator abandoned, so the task
     * goes to someone else; {@code {"annotator"}} alone releases every unlabelled assignment of theirs.
     */
    private void release(Exchange ex, Account me) throws IOException {
        ObjectNode body = ex.jsonBody();
        String taskId = body.path("task_id").asText("");
        String annotator = body.path("annotator").asText("");
        String note = body.path("note").asText("released by an admin");
        if (annotator.isEmpty()) {
            throw ApiError.badRequest("send annotator (and task_id, or none to release all their unlabelled assignments)");
        }
        ObjectNode o = Exchange.JSON.createObjectNode().put("annotator", annotator);
        ArrayNode released = o.putArray("released");
        if (taskId.isEmpty()) {
            for (TaskStore.OpenAssignment a : store.tasks().openAssignments()) {
                if (a.annotator().equals(annotator)
                        && store.tasks().release(a.taskId(), annotator, me.name(), note) == TaskStore.Release.RELEASED) {
                    released.add(a.taskId());
                }
            }
        } else {
            switch (store.tasks().release(taskId, annotator, me.name(), note)) {
                case NOT_ASSIGNED -> throw new ApiError(404, "task '" + taskId + "' is not assigned to " + annotator
                        + " (or was released already)");
                case LABELLED -> throw new ApiError(409, annotator + " labelled task '" + taskId + "': there is no abandoned"
                        + " assignment to release");
                case RELEASED -> released.add(taskId);
            }
        }
        ex.sendJson(200, o);
    }

    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }
}
