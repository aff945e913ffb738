package org.rlhf4j.host.annotate.interchange;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.AnnotationTask.Kind;
import org.rlhf4j.api.annotate.Label;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.annotate.interchange.ProjectLayout.Answer;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.rlhf4j.host.annotate.store.LabelCodec;
import org.rlhf4j.host.annotate.store.LabelStore;
import org.rlhf4j.host.annotate.store.TaskStore.Status;
import org.rlhf4j.host.annotate.store.TaskStore.StoredTask;
import org.rlhf4j.host.annotate.web.Blinding;

/**
 * Brings the items of one file exported by another annotation tool into the store, as a labelled task file
 * does: each item becomes a task (or is matched to the store's task it was exported from, by its id or a blind
 * comparison's alias, its answers back in their stored order), each person's annotation a label with source
 * {@code import}, and a task that got labels is marked {@code labelled}. Every item is read and checked before
 * anything is stored, so a malformed file stores nothing. Importing the same file again stores nothing new;
 * a changed annotation is a new submission (the latest per task and person counts).
 */
public final class StoreImport {

    /** What an import did. */
    public record Counts(int tasks, int newTasks, int labels, int unchanged, int withoutLabels, List<String> annotators) {
    }

    /** One person's annotation of an item, before the task it belongs to is known. */
    record Drafted(LabelDraft draft, String annotator, String key) {
    }

    private record Item(AnnotationTask task, StoredTask stored, List<Label> labels, List<String> keys) {
    }

    private final AnnotationStore store;
    private final String tool;
    private final Path file;
    private final ProjectLayout layout;
    private final Map<String, String> annotators;
    private final Blinding blinding;
    private final Map<String, Item> items = new LinkedHashMap<>();
    private final Map<String, String> firstSeen = new TreeMap<>();
    private int withoutLabels;

    /**
     * @param tool the tool's name, the prefix of its annotators' names ({@code label-studio:12})
     * @param annotators the tool's user ids (or e-mails) mapped to names of our own (an account, so the labels
     *                   count as that person's); the others keep the prefixed name
     */
    StoreImport(AnnotationStore store, String tool, Path file, ProjectLayout layout, Map<String, String> annotators) {
        this.store = store;
        this.tool = tool;
        this.file = file;
        this.layout = layout;
        this.annotators = Map.copyOf(annotators);
        this.blinding = new Blinding(store);
    }

    /** The name a user of the tool gets in the store. */
    String annotator(String toolUser) {
        return annotators.getOrDefault(toolUser, tool + ":" + toolUser);
    }

    /**
     * Reads one item: its prompt and answers from {@code data}, its annotations through {@code annotations}
     * (given the answers as shown), and adds it with its labels. {@code shownId} is the id our export gave it
     * (null for an item made in the tool: it gets {@code defaultId}); an id the store knows is that task.
     */
    void item(String shownId, String defaultId, JsonNode data, String where, Function<List<Answer>, List<Drafted>> annotations) {
        String prompt = layout.prompt(data, where);
        List<Answer> shown = layout.answers(data, where);
        String id = shownId != null ? shownId : defaultId;
        Optional<StoredTask> stored = blinding.resolve(id).flatMap(real -> store.tasks().latest(real));
        if (stored.isEmpty() && store.tasks().latest(id).isPresent()) {
            throw new StageFailure(where + ": '" + id + "' is a blind comparison of the store, which exported projects name"
                    + " only by its alias (ab-...): this item cannot be matched to it");
        }
        List<Integer> order = stored.map(s -> blinding.order(s, tool)).orElse(identity(shown.size()));
        stored.ifPresent(s -> checkSame(s, prompt, shown, order, where));
        List<Drafted> drafted = annotations.apply(shown);
        if (drafted.isEmpty()) {
            withoutLabels++;
            return;
        }
        AnnotationTask task = stored.map(StoredTask::task).orElseGet(() -> {
            Map<String, String> meta = new TreeMap<>();
            meta.put("source_file", file.toString());
            meta.put("source_tool", tool);
            return new AnnotationTask(id, kind(data, drafted.get(0).draft(), where), prompt,
                    shown.stream().map(Answer::text).toList(), meta);
        });
        String previous = firstSeen.putIfAbsent(task.id(), where);
        if (previous != null) {
            throw new StageFailure(where + ": task id '" + task.id() + "' appears twice (first at " + previous + ")");
        }
        List<Label> labels = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Drafted d : drafted) {
            labels.add(d.draft().toLabel(task, order, d.annotator()));
            keys.add(d.key());
        }
        items.put(task.id(), new Item(task, stored.orElse(null), labels, keys));
    }

    /** Stores every item read; returns what changed. */
    Counts write() {
        int newTasks = 0;
        int stored = 0;
        int unchanged = 0;
        TreeSet<String> people = new TreeSet<>();
        for (Item item : items.values()) {
            int version;
            if (item.stored() == null) {
                version = store.tasks().put(item.task(), List.of(), 0);
                newTasks += version == 1 ? 1 : 0;
            } else {
                version = item.stored().version();
            }
            for (int i = 0; i < item.labels().size(); i++) {
                Label l = item.labels().get(i);
                people.add(l.annotator());
                String submission = tool + ":" + item.task().id() + ":" + item.keys().get(i) + ":" + digest(LabelCodec.body(l));
                if (store.labels().add(submission, version, LabelStore.Source.IMPORT, l)) {
                    stored++;
                } else {
                    unchanged++;
                }
            }
            boolean gold = item.stored() != null && item.stored().isGold();
            Status status = store.tasks().status(item.task().id()).orElse(Status.NEW);
            if (!gold && (status == Status.NEW || status == Status.QUEUED)) {
                store.tasks().setStatus(item.task().id(), Status.LABELLED, "import", "labels imported from " + file + " (" + tool + ")");
            }
        }
        return new Counts(items.size(), newTasks, stored, unchanged, withoutLabels, List.copyOf(people));
    }

    private static Kind kind(JsonNode data, LabelDraft first, String where) {
        JsonNode k = data.get(ProjectLayout.KIND);
        if (k == null) {
            return first.guessKind();
        }
        try {
            return Kind.valueOf(k.asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new StageFailure(where + ": kind '" + k.asText() + "' is none of " + List.of(Kind.values()).stream()
                    .map(x -> x.name().toLowerCase(Locale.ROOT)).toList());
        }
    }

    /** An item exported from the store must still show the stored task's prompt and answers. */
    private static void checkSame(StoredTask s, String prompt, List<Answer> shown, List<Integer> order, String where) {
        List<String> stored = s.task().answers();
        boolean same = s.task().prompt().equals(prompt) && stored.size() == shown.size();
        for (int d = 0; same && d < shown.size(); d++) {
            same = stored.get(order.get(d)).equals(shown.get(d).text());
        }
        if (!same) {
            throw new StageFailure(where + ": its prompt or answers differ from the store's task '" + s.task().id() + "' (version "
                    + s.version() + ") it was exported from: labels of other texts cannot go to that task");
        }
    }

    private static List<Integer> identity(int k) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            out.add(i);
        }
        return out;
    }

    private static String digest(String body) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
