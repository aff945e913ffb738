package org.rlhf4j.host.annotate.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.Label;
import org.rlhf4j.host.annotate.settings.AnnotateSettings;
import org.rlhf4j.host.annotate.store.Accounts.Account;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.rlhf4j.host.annotate.store.LabelCodec;
import org.rlhf4j.host.annotate.store.LabelStore;
import org.rlhf4j.host.annotate.store.TaskStore;
import org.rlhf4j.host.annotate.store.TaskStore.StoredTask;

/**
 * The annotator's half of the API: who am I, the instructions, claiming my next task, submitting a label, my
 * own labels and edit history, starting a new prompt. Every call needs a bearer token; an annotator only
 * ever sees tasks assigned to them and their own labels, and a task that is not theirs answers exactly as
 * one that does not exist (404). Blind comparisons are known only by their alias and shown in an order
 * drawn with a server-side secret ({@link Blinding}).
 */
final class AnnotatorApi {

    private final AnnotationStore store;
    private final AnnotateSettings settings;
    private final Set<String> flags;
    private final Blinding blinding;

    AnnotatorApi(AnnotationStore store, AnnotateSettings settings) {
        this.store = store;
        this.settings = settings;
        this.flags = new LinkedHashSet<>(settings.flags());
        this.blinding = new Blinding(store);
    }

    void handle(Exchange ex) throws IOException {
        String path = ex.path();
        String method = ex.method();
        Account me = authenticate(store, ex);
        if (path.equals("/api/me") && method.equals("GET")) {
            ObjectNode o = Exchange.JSON.createObjectNode().put("name", me.name())
                    .put("role", me.role().name().toLowerCase(Locale.ROOT)).put("overlap", settings.overlap());
            settings.flags().forEach(o.putArray("flags")::add);
            ex.sendJson(200, o);
        } else if (path.equals("/api/instructions") && method.equals("GET")) {
            ex.sendJson(200, Exchange.JSON.readTree(settings.instructionsJson()));
        } else if (path.equals("/api/tasks/next") && method.equals("POST")) {
            next(ex, me);
        } else if (path.equals("/api/tasks/next")) {
            throw new ApiError(405, method + " /api/tasks/next: use POST, which claims your next task (it assigns one to"
                    + " you, so it is not a GET)").header("Allow", "POST");
        } else if (path.equals("/api/labels") && method.equals("POST")) {
            submit(ex, me);
        } else if (path.equals("/api/labels/mine") && method.equals("GET")) {
            mine(ex, me);
        } else if (path.equals("/api/edits") && method.equals("POST")) {
            newPrompt(ex, me);
        } else if (path.startsWith("/api/tasks/") && path.endsWith("/history") && method.equals("GET")) {
            history(ex, me, path.substring("/api/tasks/".length(), path.length() - "/history".length()));
        } else {
            throw new ApiError(path.matches("/api/(me|instructions|labels|labels/mine|edits)") ? 405 : 404,
                    "no endpoint " + method + " " + path + " (see docs/annotation-api.md)");
        }
    }

    /** The account of the request's bearer token, or 401. */
    static Account authenticate(AnnotationStore store, Exchange ex) {
        String token = ex.token();
        if (token == null) {
            throw new ApiError(401, "missing token: send the header Authorization: Bearer <your token>");
        }
        return store.accounts().authenticate(token).orElseThrow(() -> new ApiError(401, "unknown or revoked token"));
    }

    /** The task {@code shownId} names when it is assigned to {@code me}; else 404, the same whether it exists or not. */
    private StoredTask mine(String shownId, Account me) {
        ApiError notYours = new ApiError(404, "no task '" + shownId + "' assigned to you");
        String id = blinding.resolve(shownId).orElseThrow(() -> notYours);
        if (!store.tasks().isAssigned(id, me.name())) {
            throw notYours;
        }
        return store.tasks().latest(id).orElseThrow(() -> notYours);
    }

    private ObjectNode view(StoredTask t, Account me) {
        return TaskView.of(t, blinding.shownId(t.task()), blinding.order(t, me.name()), settings.stepCheck());
    }

    private void next(Exchange ex, Account me) throws IOException {
        AnnotationTask.Kind kind = null;
        String k = ex.query("kind");
        if (k != null && !k.isBlank()) {
            try {
                kind = AnnotationTask.Kind.valueOf(k.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("kind must be rank, safety, compare, edit or classify, got '" + k + "'");
            }
        }
        Optional<StoredTask> task = store.tasks().next(me.name(), kind, settings.overlap());
        ObjectNode o = Exchange.JSON.createObjectNode();
        if (task.isPresent()) {
            o.set("task", view(task.get(), me));
        } else {
            o.putNull("task");
        }
        ex.sendJson(200, o);
    }

    private void submit(Exchange ex, Account me) throws IOException {
        ObjectNode body = ex.jsonBody();
        String submissionId = body.path("submission_id").asText("");
        if (!submissionId.matches("[A-Za-z0-9._:-]{8,100}")) {
            throw ApiError.badRequest("submission_id is required: 8-100 letters, digits, '.', '_', ':' or '-', new for each submission"
                    + " and the same when a submission is retried");
        }
        String shownId = body.path("task_id").asText("");
        if (shownId.isEmpty()) {
            throw ApiError.badRequest("task_id is required");
        }
        JsonNode version = body.get("task_version");
        if (version == null || !version.isInt()) {
            throw ApiError.badRequest("task_version is required: the version of the task you were shown");
        }
        StoredTask task = mine(shownId, me);
        String taskId = task.task().id();
        Optional<LabelStore.StoredLabel> earlier = store.labels().find(submissionId);
        if (earlier.isPresent()) {
            acknowledgeRetry(ex, me, earlier.get(), taskId, shownId, body, version.asInt());
            return;
        }
        TaskStore.Status status = store.tasks().status(taskId).orElseThrow();
        if (status != TaskStore.Status.QUEUED && status != TaskStore.Status.COMPLETE) {
            throw closed(shownId, status);
        }
        if (version.asInt() != task.version()) {
            throw stale(shownId, version.asInt(), task.version());
        }
        Label label = LabelRequest.parse(body, task, me.name(), blinding.order(task, me.name()), flags, settings.stepCheck(),
                settings.ranks());
        LabelStore.Submitted done = store.labels().submit(submissionId, task.version(), label, settings.overlap(), task.isGold());
        switch (done.outcome()) {
            case DUPLICATE -> {
                acknowledgeRetry(ex, me, store.labels().find(submissionId).orElseThrow(), taskId, shownId, body, version.asInt());
                return;
            }
            case STALE -> throw stale(shownId, version.asInt(), done.currentVersion());
            case CLOSED -> throw closed(shownId, done.status());
            case STORED -> { }
        }
        ObjectNode o = Exchange.JSON.createObjectNode().put("stored", true).put("duplicate", false)
                .put("submission_id", submissionId);
        ArrayNode warnings = o.putArray("warnings");
        if ("true".equals(label.meta().get("steps_missing"))) {
            warnings.add("the prompt asks for steps but the answer has no ordered steps (1., 2., ...): saved and flagged for editing");
        }
        ex.sendJson(201, o);
    }

    private static ApiError stale(String shownId, int sent, int current) {
        String what = sent > current
                ? "task '" + shownId + "' has no version " + sent + " (its current version is " + current + ")"
                : "task '" + shownId + "' changed since you loaded it: you sent version " + sent + ", it is now version " + current;
        return new ApiError(409, what + ": reload it and label the current version")
                .with("task_version", sent).with("current_version", current);
    }

    private static ApiError closed(String shownId, TaskStore.Status status) {
        return new ApiError(409, "task '" + shownId + "' is no longer open for labels (" + status.name().toLowerCase(Locale.ROOT) + ")")
                .with("task_status", status.name().toLowerCase(Locale.ROOT));
    }

    /**
     * A submission id seen before: the same submission retried (200 duplicate), or a clash (409): another
     * person's or another task's submission, or the same id sent with a different label.
     */
    private void acknowledgeRetry(Exchange ex, Account me, LabelStore.StoredLabel earlier, String taskId, String shownId,
                                  ObjectNode body, int version) throws IOException {
        if (!earlier.label().annotator().equals(me.name()) || !earlier.label().taskId().equals(taskId)) {
            throw new ApiError(409, "submission_id was already used for another submission: use a new one");
        }
        StoredTask labelled = store.tasks().version(taskId, earlier.taskVersion()).orElseThrow();
        boolean same = version == earlier.taskVersion();
        if (same) {
            Label again = LabelRequest.parse(body, labelled, me.name(), blinding.order(labelled, me.name()), flags,
                    settings.stepCheck(), settings.ranks());
            same = LabelCodec.body(again).equals(LabelCodec.body(earlier.label()));
        }
        if (!same) {
            throw new ApiError(409, "submission_id '" + earlier.submissionId() + "' was already used for a different label of"
                    + " task '" + shownId + "': the first one is kept; send a new submission_id to revise your label (a retry"
                    + " sends the same body again)").with("submission_id", earlier.submissionId());
        }
        ex.sendJson(200, Exchange.JSON.createObjectNode().put("stored", true).put("duplicate", true)
                .put("submission_id", earlier.submissionId()));
    }

    private void mine(Exchange ex, Account me) throws IOException {
        ArrayNode list = Exchange.JSON.createArrayNode();
        Map<String, Optional<StoredTask>> tasks = new java.util.HashMap<>();
        for (LabelStore.StoredLabel s : LabelStore.latest(store.labels().byAnnotator(me.name()))) {
            Optional<StoredTask> t = tasks.computeIfAbsent(s.label().taskId(), id -> store.tasks().latest(id));
            if (t.isPresent()) {
                list.add(labelJson(s, t.get(), me));
            }
        }
        ObjectNode o = Exchange.JSON.createObjectNode();
        o.set("labels", list);
        ex.sendJson(200, o);
    }

    private void history(Exchange ex, Account me, String shownId) throws IOException {
        StoredTask task = mine(shownId, me);
        ObjectNode o = Exchange.JSON.createObjectNode();
        o.set("task", view(task, me));
        ArrayNode revisions = o.putArray("revisions");
        for (LabelStore.StoredLabel s : store.labels().forTask(task.task().id())) {
            if (s.label().annotator().equals(me.name())) {
                revisions.add(labelJson(s, task, me));
            }
        }
        ex.sendJson(200, o);
    }

    private void newPrompt(Exchange ex, Account me) throws IOException {
        ObjectNode body = ex.jsonBody();
        String category = body.path("category").asText("").trim();
        if (category.isEmpty() || category.length() > 100) {
            throw ApiError.badRequest("category is required (at most 100 characters)");
        }
        String id = "edit:" + UUID.randomUUID();
        AnnotationTask task = new AnnotationTask(id, AnnotationTask.Kind.EDIT, body.path("prompt").asText(""), null,
                Map.of("category", category, "created_by", me.name()));
        store.tasks().put(task, null, 0);
        store.tasks().setStatus(id, TaskStore.Status.QUEUED, me.name(), "written in the web app");
        store.tasks().assign(id, me.name());
        ObjectNode o = Exchange.JSON.createObjectNode();
        o.set("task", view(store.tasks().latest(id).orElseThrow(), me));
        ex.sendJson(201, o);
    }

    /** One of my labels as I sent it: the task under the id I know it by, arrays in the order I was shown. */
    private ObjectNode labelJson(LabelStore.StoredLabel s, StoredTask task, Account me) throws IOException {
        ObjectNode o = Exchange.JSON.createObjectNode();
        o.put("task_id", blinding.shownId(task.task()));
        o.put("task_version", s.taskVersion());
        o.put("submission_id", s.submissionId());
        o.put("submitted_at", s.createdAt());
        Label shown = LabelRequest.shown(s.label(), blinding.order(task, me.name()));
        o.set("label", Exchange.JSON.readTree(LabelCodec.body(shown)));
        return o;
    }
}
