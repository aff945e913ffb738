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
 * The annotator's half of the API: who am I, the instructions, my next task, submitting a label, my own
 * labels and edit history, starting a new prompt. Every call needs a bearer token; an annotator only ever
 * sees tasks assigned to them and their own labels.
 */
final class AnnotatorApi {

    private final AnnotationStore store;
    private final AnnotateSettings settings;
    private final Set<String> flags;

    AnnotatorApi(AnnotationStore store, AnnotateSettings settings) {
        this.store = store;
        this.settings = settings;
        this.flags = new LinkedHashSet<>(settings.flags());
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
        } else if (path.equals("/api/tasks/next") && method.equals("GET")) {
            next(ex, me);
        } else if (path.equals("/api/labels") && method.equals("POST")) {
            submit(ex, me);
        } else if (path.equals("/api/labels/mine") && method.equals("GET")) {
            mine(ex, me);
        } else if (path.equals("/api/edits") && method.equals("POST")) {
            newPrompt(ex, me);
        } else if (path.startsWith("/api/tasks/") && path.endsWith("/history") && method.equals("GET")) {
            history(ex, me, path.substring("/api/tasks/".length(), path.length() - "/history".length()));
        } else {
            throw new ApiError(path.matches("/api/(me|instructions|tasks/next|labels|labels/mine|edits)") ? 405 : 404,
                    "no endpoint " + method + " " + path + " (see docs/annotation-api.md)");
        }
    }

    /** The account of the request's bearer token, or 401. */
    static Account authenticate(AnnotationStore store, Exchange ex) {
        String token = ex.token();
        if (token == null) {
            throw new ApiError(401, "missing token: send the header Authorization: Bearer <your token>");
        }
        return store.accounts().authenticate(token).orElseThrow(() -> new ApiError(401, "unknown token"));
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
            o.set("task", TaskView.of(task.get(), me.name(), settings.stepCheck()));
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
        String taskId = body.path("task_id").asText("");
        if (taskId.isEmpty()) {
            throw ApiError.badRequest("task_id is required");
        }
        JsonNode version = body.get("task_version");
        if (version == null || !version.isInt()) {
            throw ApiError.badRequest("task_version is required: the version of the task you were shown");
        }
        Optional<LabelStore.StoredLabel> earlier = store.labels().find(submissionId);
        if (earlier.isPresent()) {
            acknowledgeRetry(ex, me, earlier.get(), taskId);
            return;
        }
        StoredTask task = store.tasks().latest(taskId).orElseThrow(() -> new ApiError(404, "no task '" + taskId + "'"));
        if (!store.tasks().isAssigned(taskId, me.name())) {
            throw new ApiError(403, "task '" + taskId + "' is not assigned to you");
        }
        TaskStore.Status status = store.tasks().status(taskId).orElseThrow();
        if (status != TaskStore.Status.QUEUED) {
            throw new ApiError(409, "task '" + taskId + "' is no longer open for labels (" + status.name().toLowerCase(Locale.ROOT) + ")");
        }
        if (version.asInt() != task.version()) {
            throw new ApiError(409, "task '" + taskId + "' changed (now version " + task.version() + "): reload it");
        }
        Label label = LabelRequest.parse(body, task, me.name(), flags, settings.stepCheck());
        boolean stored = store.labels().add(submissionId, task.version(), LabelStore.Source.WEB, label);
        if (!stored) {
            acknowledgeRetry(ex, me, store.labels().find(submissionId).orElseThrow(), taskId);
            return;
        }
        ObjectNode o = Exchange.JSON.createObjectNode().put("stored", true).put("duplicate", false)
                .put("submission_id", submissionId);
        ArrayNode warnings = o.putArray("warnings");
        if ("true".equals(label.meta().get("steps_missing"))) {
            warnings.add("the prompt asks for steps but the answer has no ordered steps (1., 2., ...): saved and flagged for editing");
        }
        ex.sendJson(201, o);
    }

    /** A submission id seen before: the same submission retried (200), or a clash with another one (409). */
    private static void acknowledgeRetry(Exchange ex, Account me, LabelStore.StoredLabel earlier, String taskId) throws IOException {
        if (!earlier.label().annotator().equals(me.name()) || !earlier.label().taskId().equals(taskId)) {
            throw new ApiError(409, "submission_id was already used for another submission: use a new one");
        }
        ex.sendJson(200, Exchange.JSON.createObjectNode().put("stored", true).put("duplicate", true)
                .put("submission_id", earlier.submissionId()));
    }

    private void mine(Exchange ex, Account me) throws IOException {
        ArrayNode list = Exchange.JSON.createArrayNode();
        for (LabelStore.StoredLabel s : LabelStore.latest(store.labels().byAnnotator(me.name()))) {
            list.add(labelJson(s));
        }
        ObjectNode o = Exchange.JSON.createObjectNode();
        o.set("labels", list);
        ex.sendJson(200, o);
    }

    private void history(Exchange ex, Account me, String taskId) throws IOException {
        StoredTask task = store.tasks().latest(taskId).orElseThrow(() -> new ApiError(404, "no task '" + taskId + "'"));
        if (!store.tasks().isAssigned(taskId, me.name())) {
            throw new ApiError(403, "task '" + taskId + "' is not assigned to you");
        }
        ObjectNode o = Exchange.JSON.createObjectNode();
        o.set("task", TaskView.of(task, me.name(), settings.stepCheck()));
        ArrayNode revisions = o.putArray("revisions");
        for (LabelStore.StoredLabel s : store.labels().forTask(taskId)) {
            if (s.label().annotator().equals(me.name())) {
                revisions.add(labelJson(s));
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
        o.set("task", TaskView.of(store.tasks().latest(id).orElseThrow(), me.name(), settings.stepCheck()));
        ex.sendJson(201, o);
    }

    private static ObjectNode labelJson(LabelStore.StoredLabel s) throws IOException {
        ObjectNode o = Exchange.JSON.createObjectNode();
        o.put("task_id", s.label().taskId());
        o.put("task_version", s.taskVersion());
        o.put("submission_id", s.submissionId());
        o.put("submitted_at", s.createdAt());
        o.set("label", Exchange.JSON.readTree(LabelCodec.body(s.label())));
        return o;
    }
}
