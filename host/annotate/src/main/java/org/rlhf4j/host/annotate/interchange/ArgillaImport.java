package org.rlhf4j.host.annotate.interchange;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.annotate.interchange.ProjectLayout.Answer;
import org.rlhf4j.host.annotate.store.AnnotationStore;

/**
 * Imports the records of an Argilla (v2) dataset: a directory written by {@code Dataset.to_disk} (its
 * {@code records.json}, and {@code .argilla/settings.json} for the questions' types), or a records file alone
 * ({@code dataset.records.to_json}: a JSON array; or JSONL, one record a line). A record is
 * {@code {id, fields, metadata, responses: {question: [{value, user_id, status?}]}, ...}}
 * (https://docs.argilla.io/latest/how_to_guides/import_export/); or the API's answer to
 * {@code GET /api/v1/datasets/{id}/records?include=responses} ({@code {items: [{external_id, fields,
 * responses: [{user_id, status, values: {question: {value}}}]}]}}), which alone keeps tied ranks. Questions by name, each user's responses to one
 * record making one label:
 * <ul>
 *   <li>a ranking question (type {@code ranking}, or named {@code rank}/{@code ranking}): the values best first
 *       (as the Python SDK exports them), or {@code [{value, rank}]} (as the API gives them; equal ranks are ties,
 *       renumbered without gaps); each value names an answer field;</li>
 *   <li>{@code rating_N} (1-7); {@code preference} ({@code answer_N} or {@code tie}); {@code safer};
 *       {@code category}; {@code safe_N} ({@code safe}/{@code unsafe}); {@code flags_N} (several labels);</li>
 *   <li>text: {@code edited_prompt}, {@code edited_answer}, {@code reason}.</li>
 * </ul>
 * A response whose status is given and is not {@code submitted} (a draft, a discarded record) brings no label.
 * Any other question, or a malformed record, fails naming the file, the record's index and id.
 */
public final class ArgillaImport {

    static final String TOOL = "argilla";

    private ArgillaImport() {
    }

    /** Imports {@code path} (a dataset directory or a records file) into {@code store}. */
    public static StoreImport.Counts run(Path path, AnnotationStore store, ProjectLayout layout, Map<String, String> annotators) {
        Path file = Files.isDirectory(path) ? path.resolve("records.json") : path;
        Path settings = Files.isDirectory(path) ? path.resolve(".argilla/settings.json") : null;
        if (!Files.isRegularFile(file)) {
            throw new StageFailure(path + ": no records file " + file + " (export the dataset with to_disk, or give the records file)");
        }
        Map<String, String> types = settings != null && Files.isRegularFile(settings) ? questionTypes(settings) : Map.of();
        List<JsonNode> records = records(file);
        StoreImport into = new StoreImport(store, TOOL, file, layout, annotators);
        String base = file.getFileName().toString().replaceFirst("\\.jsonl?$", "");
        for (int i = 0; i < records.size(); i++) {
            JsonNode r = records.get(i);
            String where = file + ": record " + i + (r.hasNonNull("id") ? " (id " + r.get("id").asText() + ")" : "");
            if (!r.isObject() || !r.path("fields").isObject()) {
                throw new StageFailure(where + ": a record is an object with \"fields\"");
            }
            String id = r.hasNonNull("external_id") ? r.get("external_id").asText() : r.hasNonNull("id") ? r.get("id").asText() : null;
            into.item(id, TOOL + ":" + base + ":" + i, r.get("fields"), where,
                    shown -> responses(r.path("responses"), types, shown, into, where));
        }
        return into.write();
    }

    /** Each user's submitted responses to one record, as one draft per user. */
    private static List<StoreImport.Drafted> responses(JsonNode responses, Map<String, String> types, List<Answer> shown,
                                                      StoreImport into, String where) {
        Map<String, Map<String, JsonNode>> byUser = new LinkedHashMap<>();
        if (responses.isArray()) {
            for (JsonNode resp : responses) {
                if (!resp.hasNonNull("user_id") || !resp.path("values").isObject()) {
                    throw new StageFailure(where + ": a response lacks user_id or values");
                }
                if (submitted(resp)) {
                    Map<String, JsonNode> mine = byUser.computeIfAbsent(resp.get("user_id").asText(), u -> new LinkedHashMap<>());
                    resp.get("values").fields().forEachRemaining(v -> mine.put(v.getKey(), v.getValue().path("value")));
                }
            }
        } else if (responses.isObject()) {
            responses.fields().forEachRemaining(q -> {
                if (!q.getValue().isArray()) {
                    throw new StageFailure(where + ": responses." + q.getKey() + " must be an array of {value, user_id}");
                }
                for (JsonNode resp : q.getValue()) {
                    if (!resp.hasNonNull("user_id") || !resp.has("value")) {
                        throw new StageFailure(where + ": a response to '" + q.getKey() + "' lacks value or user_id");
                    }
                    if (submitted(resp)) {
                        byUser.computeIfAbsent(resp.get("user_id").asText(), u -> new LinkedHashMap<>()).put(q.getKey(), resp.get("value"));
                    }
                }
            });
        } else if (!responses.isMissingNode() && !responses.isNull()) {
            throw new StageFailure(where + ": \"responses\" must be an object of questions or an array of users' responses");
        }
        List<StoreImport.Drafted> out = new ArrayList<>();
        byUser.forEach((user, answers) -> {
            String at = where + ", user " + user;
            LabelDraft draft = new LabelDraft(shown.size(), at);
            answers.forEach((question, value) -> answer(question, types.get(question), value, shown, draft,
                    at + ", question '" + question + "'"));
            out.add(new StoreImport.Drafted(draft, into.annotator(user), user));
        });
        return out;
    }

    /** A response counts unless its status says it is a draft or discarded. */
    private static boolean submitted(JsonNode resp) {
        return !resp.hasNonNull("status") || resp.get("status").asText().equals("submitted");
    }

    private static void answer(String question, String type, JsonNode value, List<Answer> shown, LabelDraft draft, String here) {
        if ("ranking".equals(type) || (type == null && (question.equals(ProjectLayout.RANK) || question.equals("ranking")))) {
            draft.ranks(ranks(value, shown, here));
            return;
        }
        int rating = ProjectLayout.numbered(question, ProjectLayout.RATING);
        int safe = ProjectLayout.numbered(question, ProjectLayout.SAFE);
        int flags = ProjectLayout.numbered(question, ProjectLayout.FLAGS);
        int answer = Math.max(rating, Math.max(safe, flags));
        if (answer >= shown.size()) {
            throw new StageFailure(here + ": the record has " + shown.size() + " answers");
        }
        if (rating >= 0) {
            if (!value.canConvertToInt()) {
                throw new StageFailure(here + ": a rating is an integer, got " + value);
            }
            draft.rating(rating, value.asInt(), here);
        } else if (safe >= 0) {
            String s = value.asText().toLowerCase(Locale.ROOT);
            if (!s.equals("safe") && !s.equals("unsafe")) {
                throw new StageFailure(here + ": the value is safe or unsafe, got " + value);
            }
            draft.safe(safe, s.equals("safe"));
        } else if (flags >= 0) {
            if (!value.isArray()) {
                throw new StageFailure(here + ": flags are a list of labels, got " + value);
            }
            List<String> names = new ArrayList<>();
            value.forEach(v -> names.add(v.asText()));
            draft.flags(flags, names);
        } else {
            switch (question) {
                case ProjectLayout.PREFERENCE -> {
                    if (value.asText().equalsIgnoreCase(ProjectLayout.TIE)) {
                        draft.tie();
                    } else {
                        draft.pick(ProjectLayout.indexOf(shown, value.asText(), here));
                    }
                }
                case ProjectLayout.SAFER -> draft.safer(ProjectLayout.indexOf(shown, value.asText(), here));
                case ProjectLayout.CATEGORY -> draft.category(value.asText());
                case ProjectLayout.EDITED_PROMPT -> draft.editedPrompt(value.asText());
                case ProjectLayout.EDITED_ANSWER -> draft.editedAnswer(value.asText());
                case ProjectLayout.REASON -> draft.reason(value.asText());
                default -> throw new StageFailure(here + (type != null ? " (type " + type + ")" : "") + ": not imported; the"
                        + " questions imported are a ranking, rating_N, preference, safer, category, safe_N, flags_N,"
                        + " edited_prompt, edited_answer and reason");
            }
        }
    }

    /** A ranking response: values best first, or {value, rank} objects (equal ranks tie). */
    private static Map<Integer, Integer> ranks(JsonNode value, List<Answer> shown, String here) {
        if (!value.isArray()) {
            throw new StageFailure(here + ": a ranking is a list of values, got " + value);
        }
        Map<Integer, Integer> out = new TreeMap<>();
        for (int p = 0; p < value.size(); p++) {
            JsonNode v = value.get(p);
            String ref = v.isObject() ? v.path("value").asText("") : v.asText();
            int rank = p + 1;
            if (v.isObject() && v.hasNonNull("rank")) {
                if (!v.get("rank").canConvertToInt() || v.get("rank").asInt() < 1) {
                    throw new StageFailure(here + ": rank " + v.get("rank") + " of '" + ref + "' is not a positive integer");
                }
                rank = v.get("rank").asInt();
            }
            int answer = ProjectLayout.indexOf(shown, ref, here);
            if (out.put(answer, rank) != null) {
                throw new StageFailure(here + ": the ranking names '" + ref + "' twice");
            }
        }
        return out;
    }

    /** The type of each question in a settings file ({@code questions: [{name, settings: {type}}]}). */
    private static Map<String, String> questionTypes(Path settings) {
        JsonNode s = JsonFiles.read(settings);
        Map<String, String> out = new TreeMap<>();
        for (JsonNode q : s.path("questions")) {
            out.put(q.path("name").asText(), q.path("settings").path("type").asText(null));
        }
        return out;
    }

    private static List<JsonNode> records(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StageFailure("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<JsonNode> out = new ArrayList<>();
        String start = text.stripLeading();
        if (start.startsWith("[")) {
            JsonFiles.parse(text, file.toString()).forEach(out::add);
            return out;
        }
        if (start.startsWith("{")) {
            JsonNode page = JsonFiles.parse(text, file.toString()); // the first value: a page of the API, or a JSONL line
            if (page.path("items").isArray()) {
                page.get("items").forEach(out::add);
                return out;
            }
        }
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            if (!lines[n].isBlank()) {
                out.add(JsonFiles.parse(lines[n], file + ":" + (n + 1)));
            }
        }
        return out;
    }
}
