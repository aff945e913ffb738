package org.rlhf4j.host.annotate.interchange;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rlhf4j.api.annotate.AnnotationTask.Kind;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.rlhf4j.host.annotate.store.TaskStore.Status;

/**
 * Writes the store's tasks as Argilla (v2) datasets, one directory per kind and number of answers, laid out as
 * {@code Dataset.to_disk} writes one so that {@code rg.Dataset.from_disk(dir)} loads it
 * (https://docs.argilla.io/latest/how_to_guides/import_export/): {@code .argilla/settings.json} (text fields
 * {@code prompt}, {@code answer_1} ...; the questions), {@code .argilla/dataset.json} and {@code records.json}
 * ({@code [{id, fields, metadata, suggestions, responses, vectors}]}). Rankings get a ranking question
 * ({@code rank}), a 1-7 rating and a flags question per answer; comparisons a {@code preference} label
 * ({@code answer_1}, {@code answer_2}, {@code tie}); edits two text questions pre-filled by suggestions.
 * The records come back with {@link ArgillaImport}.
 */
public final class ArgillaExport {

    private ArgillaExport() {
    }

    /** Writes a dataset per kind and number of answers under {@code dir}; returns the datasets written. */
    public static List<String> write(AnnotationStore store, List<Status> statuses, List<String> flags, Path dir) {
        List<String> written = new ArrayList<>();
        for (ExportedTasks.Project p : ExportedTasks.of(store, statuses, ArgillaImport.TOOL)) {
            Path project = dir.resolve(p.name());
            JsonFiles.write(project.resolve(".argilla/settings.json"), settings(p.kind(), p.answers(), flags));
            ObjectNode dataset = JsonFiles.JSON.createObjectNode().put("name", "rlhf4j-" + p.name()).put("status", "draft")
                    .put("allow_extra_metadata", true);
            dataset.put("guidelines", guidelines(p.kind()));
            JsonFiles.write(project.resolve(".argilla/dataset.json"), dataset);
            ArrayNode records = JsonFiles.JSON.createArrayNode();
            p.items().forEach(item -> records.add(record(p.kind(), item)));
            JsonFiles.write(project.resolve("records.json"), records);
            written.add(p.name() + " (" + p.items().size() + " record(s))");
        }
        return written;
    }

    /** The dataset settings ({@code Settings.serialize()}): fields and questions. */
    static ObjectNode settings(Kind kind, int k, List<String> flags) {
        ObjectNode s = JsonFiles.JSON.createObjectNode();
        s.put("guidelines", guidelines(kind));
        ArrayNode fields = s.putArray("fields");
        field(fields, "prompt", "Prompt");
        for (int i = 0; i < k; i++) {
            field(fields, ProjectLayout.answer(i), kind == Kind.COMPARE ? "Answer " + (char) ('A' + i) : "Answer " + (i + 1));
        }
        ArrayNode q = s.putArray("questions");
        switch (kind) {
            case RANK, SAFETY -> {
                ArrayNode options = question(q, ProjectLayout.RANK, "Rank the answers, 1 = best; give tied answers the same rank",
                        true, "ranking");
                for (int i = 0; i < k; i++) {
                    options.addObject().put("value", ProjectLayout.answer(i)).put("text", "Answer " + (i + 1));
                }
                for (int i = 0; i < k; i++) {
                    if (kind == Kind.RANK) {
                        ArrayNode scale = question(q, ProjectLayout.RATING + (i + 1), "Rate answer " + (i + 1) + " (1-7)", true, "rating");
                        for (int v = 1; v <= 7; v++) {
                            scale.addObject().put("value", v);
                        }
                        ArrayNode f = question(q, ProjectLayout.FLAGS + (i + 1), "Problems of answer " + (i + 1), false,
                                "multi_label_selection");
                        flags.forEach(name -> f.addObject().put("value", name).put("text", name));
                    } else {
                        labels(question(q, ProjectLayout.SAFE + (i + 1), "Is answer " + (i + 1) + " safe?", true, "label_selection"),
                                "safe", "Safe", "unsafe", "Unsafe");
                    }
                }
                if (kind == Kind.SAFETY) {
                    ArrayNode safer = question(q, ProjectLayout.SAFER, "Which answer is safer?", true, "label_selection");
                    for (int i = 0; i < k; i++) {
                        labels(safer, ProjectLayout.answer(i), "Answer " + (i + 1));
                    }
                }
                text(q, ProjectLayout.REASON, "Why, in a few words (optional)", false);
            }
            case COMPARE -> {
                labels(question(q, ProjectLayout.PREFERENCE, "Which answer is better?", true, "label_selection"),
                        "answer_1", "Answer A", "answer_2", "Answer B", ProjectLayout.TIE, "Tie");
                text(q, ProjectLayout.REASON, "Why, in a few words", true);
            }
            case EDIT -> {
                text(q, ProjectLayout.EDITED_PROMPT, "Improve the prompt", true);
                text(q, ProjectLayout.EDITED_ANSWER, "Write or correct the answer", true);
            }
            case CLASSIFY -> text(q, ProjectLayout.CATEGORY, "The task category of this prompt", true);
        }
        s.putArray("vectors");
        s.putArray("metadata");
        s.put("allow_extra_metadata", true);
        return s;
    }

    private static ObjectNode record(Kind kind, ExportedTasks.Item item) {
        ObjectNode r = JsonFiles.JSON.createObjectNode();
        r.put("id", item.id());
        ObjectNode fields = r.putObject("fields");
        fields.put("prompt", item.prompt());
        for (int i = 0; i < item.answers().size(); i++) {
            fields.put(ProjectLayout.answer(i), item.answers().get(i));
        }
        ObjectNode meta = r.putObject("metadata").put(ProjectLayout.KIND, kind.name().toLowerCase(Locale.ROOT));
        String category = item.stored().task().meta().get("category");
        if (category != null) {
            meta.put("category", category);
        }
        ObjectNode suggestions = r.putObject("suggestions");
        if (kind == Kind.EDIT) {
            suggestions.putObject(ProjectLayout.EDITED_PROMPT).put("value", item.prompt()).putNull("score").put("agent", "rlhf4j");
            if (!item.answers().isEmpty()) {
                suggestions.putObject(ProjectLayout.EDITED_ANSWER).put("value", item.answers().get(0)).putNull("score").put("agent", "rlhf4j");
            }
        }
        r.putObject("responses");
        r.putObject("vectors");
        return r;
    }

    private static String guidelines(Kind kind) {
        return switch (kind) {
            case RANK -> "Rate each answer 1-7, flag its problems, and rank the answers (1 = best; ties share a rank).";
            case SAFETY -> "Mark each answer safe or unsafe, rank them by helpfulness and say which is safer.";
            case COMPARE -> "Which of the two answers is better? Choose Tie when neither is, and say why in a few words.";
            case EDIT -> "Improve the prompt and write or correct its answer.";
            case CLASSIFY -> "Name the task category of the prompt.";
        };
    }

    private static void field(ArrayNode fields, String name, String title) {
        ObjectNode f = fields.addObject().put("name", name).put("title", title).put("required", true);
        f.putObject("settings").put("type", "text").put("use_markdown", false);
    }

    /** Adds a question with options; returns its options array. */
    private static ArrayNode question(ArrayNode questions, String name, String title, boolean required, String type) {
        ObjectNode q = questions.addObject().put("name", name).put("title", title).put("required", required);
        return q.putObject("settings").put("type", type).putArray("options");
    }

    private static void text(ArrayNode questions, String name, String title, boolean required) {
        ObjectNode q = questions.addObject().put("name", name).put("title", title).put("required", required);
        q.putObject("settings").put("type", "text").put("use_markdown", false);
    }

    private static void labels(ArrayNode options, String... valueText) {
        for (int i = 0; i < valueText.length; i += 2) {
            options.addObject().put("value", valueText[i]).put("text", valueText[i + 1]);
        }
    }
}
