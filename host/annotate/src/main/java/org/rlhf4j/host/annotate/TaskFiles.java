package org.rlhf4j.host.annotate;

import org.rlhf4j.host.annotate.settings.AnnotateSettings;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.AnnotationTask.Kind;
import org.rlhf4j.api.annotate.Label;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.annotate.settings.AnnotateSettings.Format;
import org.rlhf4j.host.records.RecordJsonl;

/**
 * Reads task files ({@code annotate.tasks}) into tasks, with their gold ranking and, for a file marked
 * {@code labelled}, the label it carries (people's earlier labels, imported as given). A bad line fails
 * with the file and line.
 */
public final class TaskFiles {

    /**
     * One task read from a file. {@code imported} is null unless the file is labelled; {@code conversation} is
     * the prompt's turns when the task came from a preference record that gives its prompt as messages, else empty.
     */
    public record Loaded(AnnotationTask task, List<Integer> gold, Label imported, List<Message> conversation) {
        Loaded(AnnotationTask task, List<Integer> gold, Label imported) {
            this(task, gold, imported, List.of());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private TaskFiles() {
    }

    /** Reads every task of {@code file} (already resolved to a readable path). */
    public static List<Loaded> read(Path file, Format format, boolean labelled) {
        List<Loaded> out = new ArrayList<>();
        String base = file.getFileName().toString().replaceFirst("\\.jsonl$", "");
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                String where = file + ":" + n;
                Map<String, String> meta = new TreeMap<>();
                meta.put("source_file", file.toString());
                meta.put("source_line", String.valueOf(n));
                Loaded loaded = format == Format.RECORDS
                        ? fromRecord(RecordJsonl.fromLine(line, where), meta, labelled, "import:" + base, where)
                        : fromJson(parse(line, where), format, base + ":" + n, meta, labelled, "import:" + base, where);
                out.add(loaded);
            }
        } catch (IOException e) {
            throw new StageFailure("cannot read task file " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static Loaded fromJson(JsonNode o, Format format, String defaultId, Map<String, String> meta, boolean labelled,
                                   String importer, String where) {
        String id = o.hasNonNull("id") ? o.get("id").asText() : defaultId;
        for (String k : List.of("category", "lang", "instructions", "model_a", "model_b")) {
            if (o.hasNonNull(k)) {
                meta.put(k, o.get(k).asText());
            }
        }
        String prompt = required(o, "prompt", where);
        return switch (format) {
            case RANKINGS -> {
                List<String> answers = strings(o.path("answers"));
                checkAnswers(answers, 2, 9, where);
                List<Integer> gold = o.has("gold") ? ranks(o.get("gold"), answers.size(), "gold", where) : List.of();
                Label label = null;
                if (labelled) {
                    List<Integer> ranks = ranks(o.get("ranks"), answers.size(), "ranks", where);
                    label = new Label(id, importer, ranks, List.of(), List.of(), List.of(), null, null, Map.of());
                }
                yield new Loaded(new AnnotationTask(id, Kind.RANK, prompt, answers, meta), gold, label);
            }
            case SAFETY -> {
                List<String> answers = List.of(required(o, "response_0", where), required(o, "response_1", where));
                Label label = null;
                if (labelled) {
                    int better = index(o, "better_response_id", where);
                    int safer = index(o, "safer_response_id", where);
                    label = new Label(id, importer, better == 0 ? List.of(1, 2) : List.of(2, 1), List.of(), List.of(),
                            List.of(o.path("is_response_0_safe").asBoolean(), o.path("is_response_1_safe").asBoolean()),
                            null, null, Map.of("safer", String.valueOf(safer)));
                }
                yield new Loaded(new AnnotationTask(id, Kind.SAFETY, prompt, answers, meta), List.of(), label);
            }
            case COMPARE -> {
                List<String> answers = List.of(required(o, "answer_a", where), required(o, "answer_b", where));
                Label label = null;
                if (labelled) {
                    String winner = required(o, "winner", where);
                    List<Integer> ranks = switch (winner) {
                        case "a" -> List.of(1, 2);
                        case "b" -> List.of(2, 1);
                        case "tie" -> List.of(1, 1);
                        default -> throw new StageFailure(where + ": winner must be a, b or tie, got '" + winner + "'");
                    };
                    label = new Label(id, importer, ranks, List.of(), List.of(), List.of(), null,
                            o.path("reason").asText(null), Map.of());
                }
                yield new Loaded(new AnnotationTask(id, Kind.COMPARE, prompt, answers, meta), List.of(), label);
            }
            case EDIT -> {
                List<String> answers = o.hasNonNull("answer") ? List.of(o.get("answer").asText()) : List.of();
                Label label = labelled ? new Label(id, importer, List.of(), List.of(), List.of(), List.of(), null, null,
                        Map.of("prompt", prompt, "answer", required(o, "answer", where))) : null;
                yield new Loaded(new AnnotationTask(id, Kind.EDIT, prompt, answers, meta), List.of(), label);
            }
            case RECORDS -> throw new IllegalStateException("records are read by fromRecord");
        };
    }

    private static Loaded fromRecord(Record r, Map<String, String> meta, boolean labelled, String importer, String where) {
        r.meta().forEach(meta::putIfAbsent);
        String prompt = r.messages().stream().filter(m -> m.role() == Message.Role.USER).map(Message::content)
                .findFirst().orElse(r.text());
        switch (r.kind()) {
            case PREFERENCE -> {
                checkAnswers(r.answers(), 2, 9, where);
                Label label = null;
                if (labelled) {
                    List<Integer> ranks = new ArrayList<>();
                    for (int i = 1; i <= r.answers().size(); i++) {
                        ranks.add(i); // a PREFERENCE record lists its answers best first
                    }
                    label = new Label(r.id(), importer, ranks, List.of(), List.of(), List.of(), null, null, Map.of());
                }
                return new Loaded(new AnnotationTask(r.id(), Kind.RANK, prompt, r.answers(), meta), List.of(), label, r.messages());
            }
            case CONVERSATION, PROMPT -> {
                List<String> answers = r.messages().stream().filter(m -> m.role() == Message.Role.ASSISTANT)
                        .map(Message::content).limit(1).toList();
                return new Loaded(new AnnotationTask(r.id(), Kind.EDIT, prompt, answers, meta), List.of(), null);
            }
            default -> throw new StageFailure(where + ": a " + r.kind().name().toLowerCase() + " record is not a task;"
                    + " preference, conversation and prompt records are");
        }
    }

    private static JsonNode parse(String line, String where) {
        try {
            JsonNode o = JSON.readTree(line);
            if (o == null || !o.isObject()) {
                throw new StageFailure(where + ": a task is a JSON object");
            }
            return o;
        } catch (JsonProcessingException e) {
            throw new StageFailure(where + ": not JSON: " + e.getOriginalMessage());
        }
    }

    private static String required(JsonNode o, String field, String where) {
        if (!o.hasNonNull(field) || o.get(field).asText().isEmpty()) {
            throw new StageFailure(where + ": missing \"" + field + "\"");
        }
        return o.get(field).asText();
    }

    private static int index(JsonNode o, String field, String where) {
        if (!o.path(field).isInt() || o.get(field).asInt() < 0 || o.get(field).asInt() > 1) {
            throw new StageFailure(where + ": \"" + field + "\" must be 0 or 1");
        }
        return o.get(field).asInt();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(a -> out.add(a.asText()));
        return out;
    }

    private static void checkAnswers(List<String> answers, int min, int max, String where) {
        if (answers.size() < min || answers.size() > max) {
            throw new StageFailure(where + ": a task needs " + min + " to " + max + " answers, got " + answers.size());
        }
    }

    private static List<Integer> ranks(JsonNode array, int k, String field, String where) {
        if (array == null || !array.isArray() || array.size() != k) {
            throw new StageFailure(where + ": \"" + field + "\" must list one rank per answer (" + k + ")");
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode r : array) {
            if (!r.isInt() || r.asInt() < 1 || r.asInt() > k) {
                throw new StageFailure(where + ": \"" + field + "\" holds " + r + "; ranks run from 1 (best) to " + k);
            }
            out.add(r.asInt());
        }
        return out;
    }
}
