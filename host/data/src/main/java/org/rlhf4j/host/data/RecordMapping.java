package org.rlhf4j.host.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Provenance;
import org.rlhf4j.api.data.Record;

/**
 * Maps one row (a JSON object, a CSV row, a Parquet row) onto a {@link Record}, by the source's
 * {@code format} and {@code fields} mapping. Known formats:
 * <ul>
 *   <li>{@code document}: {@code text} into a DOCUMENT; {@code prompt}: {@code text} into a PROMPT;</li>
 *   <li>{@code rm-static} (DeepSpeed-Chat's Dahoas/rm-static): {@code prompt} in "\n\nHuman: ...\n\nAssistant:"
 *       form, {@code chosen}, {@code rejected} answers, into a PREFERENCE;</li>
 *   <li>{@code hh-rlhf} (Anthropic): {@code chosen} and {@code rejected} whole dialogues sharing the prompt turns;</li>
 *   <li>{@code alpaca}: {@code instruction}, {@code input}, {@code output} (optional {@code system}, {@code history});</li>
 *   <li>{@code sharegpt}: {@code conversations} of {from, value} or {role, content}; with {@code chosen} and
 *       {@code rejected} turns (LLaMA-Factory's preference layout) a PREFERENCE, else a CONVERSATION;</li>
 *   <li>{@code auto}: the first of these whose fields the row has.</li>
 * </ul>
 * {@code fields { text = "content" }} renames a field; {@code meta-fields = [url, lang]} copies row
 * fields into meta; {@code meta { license = MIT }} adds fixed meta values.
 */
public final class RecordMapping {

    /** The known row layouts. */
    public enum Format { AUTO, DOCUMENT, PROMPT, RM_STATIC, HH_RLHF, ALPACA, SHAREGPT }

    private static final String[] FIELDS = {"id", "text", "prompt", "chosen", "rejected", "instruction", "input",
        "output", "system", "history", "conversations", "category"};

    private final Format format;
    private final Map<String, String> fields;
    private final List<String> metaFields;
    private final Map<String, String> fixedMeta;

    private RecordMapping(Format format, Map<String, String> fields, List<String> metaFields, Map<String, String> fixedMeta) {
        this.format = format;
        this.fields = fields;
        this.metaFields = metaFields;
        this.fixedMeta = fixedMeta;
    }

    static RecordMapping from(Config spec) {
        String f = spec.hasPath("format") ? spec.getString("format") : "auto";
        Format format;
        try {
            format = Format.valueOf(f.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new ConfigProblem(spec, "format", "unknown format '" + f
                    + "'; known: auto, document, prompt, rm-static, hh-rlhf, alpaca, sharegpt");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String k : FIELDS) {
            fields.put(k, k);
        }
        if (spec.hasPath("fields")) {
            for (Map.Entry<String, ConfigValue> e : spec.getConfig("fields").entrySet()) {
                if (!fields.containsKey(e.getKey())) {
                    throw new ConfigProblem(spec, "fields." + e.getKey(), "not a mappable field; known: " + String.join(", ", FIELDS));
                }
                fields.put(e.getKey(), String.valueOf(e.getValue().unwrapped()));
            }
        }
        List<String> metaFields = spec.hasPath("meta-fields") ? spec.getStringList("meta-fields") : List.of();
        Map<String, String> fixed = new LinkedHashMap<>();
        if (spec.hasPath("meta")) {
            spec.getConfig("meta").entrySet().forEach(e -> fixed.put(e.getKey(), String.valueOf(e.getValue().unwrapped())));
        }
        return new RecordMapping(format, fields, metaFields, fixed);
    }

    /** A mapping of the given format with default field names (for tests and generated inputs). */
    public static RecordMapping of(Format format) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String k : FIELDS) {
            fields.put(k, k);
        }
        return new RecordMapping(format, fields, List.of(), Map.of());
    }

    /**
     * Maps a row. {@code fallbackId} is used when the row has no id field.
     *
     * @throws IllegalArgumentException saying what the row lacks (the caller adds file and line)
     */
    public Record map(JsonNode row, String fallbackId, Provenance provenance) {
        if (row == null || !row.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        Format f = format == Format.AUTO ? detect(row) : format;
        String rawId = str(row, "id");
        String id = rawId == null || rawId.isEmpty() ? fallbackId : provenance.source() + ":" + rawId;
        Map<String, String> meta = new LinkedHashMap<>(fixedMeta);
        for (String m : metaFields) {
            JsonNode v = at(row, m);
            if (v != null && !v.isNull() && !v.isMissingNode()) {
                meta.put(m, v.isValueNode() ? v.asText() : v.toString());
            }
        }
        String category = str(row, "category");
        if (category != null && !category.isEmpty()) {
            meta.put("category-label", category);
        }
        // A source may tag its records with its own meta.format (filters skip formats by name).
        meta.putIfAbsent("format", f.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        return switch (f) {
            case DOCUMENT -> Record.document(id, require(row, "text"), meta, provenance);
            case PROMPT -> new Record(id, Record.Kind.PROMPT, require(row, "prompt", "text"), null, null, meta, provenance);
            case RM_STATIC -> new Record(id, Record.Kind.PREFERENCE, "", Dialogue.parse(require(row, "prompt")),
                    List.of(require(row, "chosen").strip(), require(row, "rejected").strip()), meta, provenance);
            case HH_RLHF -> hh(id, row, meta, provenance);
            case ALPACA -> alpaca(id, row, meta, provenance);
            case SHAREGPT -> shareGpt(id, row, meta, provenance);
            case AUTO -> throw new IllegalStateException();
        };
    }

    private Format detect(JsonNode row) {
        boolean pair = has(row, "chosen") && has(row, "rejected");
        if (pair && has(row, "prompt")) {
            return Format.RM_STATIC;
        }
        if (has(row, "conversations") || row.has("messages")) {
            return Format.SHAREGPT;
        }
        if (pair) {
            return Format.HH_RLHF;
        }
        if (has(row, "instruction") && has(row, "output")) {
            return Format.ALPACA;
        }
        if (has(row, "prompt") && !has(row, "text")) {
            if (row.has("completion")) {
                throw new IllegalArgumentException("a 'completion' beside 'prompt' (TRL's prompt-completion layout): read as a"
                        + " prompt it would lose the completion; give format = prompt to read the prompts only");
            }
            return Format.PROMPT;
        }
        return Format.DOCUMENT;
    }

    private Record hh(String id, JsonNode row, Map<String, String> meta, Provenance p) {
        List<Message> chosen = Dialogue.parse(require(row, "chosen"));
        List<Message> rejected = Dialogue.parse(require(row, "rejected"));
        if (chosen.isEmpty() || chosen.get(chosen.size() - 1).role() != Message.Role.ASSISTANT
                || rejected.isEmpty() || rejected.get(rejected.size() - 1).role() != Message.Role.ASSISTANT) {
            throw new IllegalArgumentException("chosen and rejected must be dialogues ending with an Assistant turn");
        }
        return new Record(id, Record.Kind.PREFERENCE, "", chosen.subList(0, chosen.size() - 1),
                List.of(chosen.get(chosen.size() - 1).content(), rejected.get(rejected.size() - 1).content()), meta, p);
    }

    private Record alpaca(String id, JsonNode row, Map<String, String> meta, Provenance p) {
        List<Message> msgs = new ArrayList<>();
        String system = str(row, "system");
        if (system != null && !system.isBlank()) {
            msgs.add(new Message(Message.Role.SYSTEM, system));
        }
        JsonNode history = at(row, fields.get("history"));
        if (history != null && history.isArray()) {
            for (JsonNode turn : history) {
                msgs.add(Message.user(turn.path(0).asText()));
                msgs.add(Message.assistant(turn.path(1).asText()));
            }
        }
        String input = str(row, "input");
        String instruction = require(row, "instruction");
        msgs.add(Message.user(input == null || input.isBlank() ? instruction : instruction + "\n" + input));
        msgs.add(Message.assistant(require(row, "output")));
        return new Record(id, Record.Kind.CONVERSATION, "", msgs, null, meta, p);
    }

    private Record shareGpt(String id, JsonNode row, Map<String, String> meta, Provenance p) {
        JsonNode turns = has(row, "conversations") ? at(row, fields.get("conversations")) : row.get("messages");
        if (turns == null || !turns.isArray() || turns.isEmpty()) {
            throw new IllegalArgumentException("'" + fields.get("conversations") + "' must be a non-empty array of turns");
        }
        List<Message> msgs = new ArrayList<>();
        String system = str(row, "system");
        if (system != null && !system.isBlank()) {
            msgs.add(new Message(Message.Role.SYSTEM, system));
        }
        for (JsonNode t : turns) {
            msgs.add(turn(t));
        }
        if (row.has("label") && row.get("label").isBoolean()) {
            meta.put("kto-label", row.get("label").asText());
        }
        if (has(row, "chosen") && has(row, "rejected")) {
            return new Record(id, Record.Kind.PREFERENCE, "", msgs,
                    List.of(turn(at(row, fields.get("chosen"))).content(), turn(at(row, fields.get("rejected"))).content()), meta, p);
        }
        return new Record(id, Record.Kind.CONVERSATION, "", msgs, null, meta, p);
    }

    private static Message turn(JsonNode t) {
        if (t.isTextual()) {
            return Message.assistant(t.asText());
        }
        String who = (t.has("from") ? t.get("from") : t.path("role")).asText().toLowerCase(Locale.ROOT);
        String content = (t.has("value") ? t.get("value") : t.path("content")).asText();
        Message.Role role = switch (who) {
            case "human", "user", "prompter" -> Message.Role.USER;
            case "gpt", "assistant", "bot", "model", "chatgpt" -> Message.Role.ASSISTANT;
            case "system" -> Message.Role.SYSTEM;
            default -> throw new IllegalArgumentException("unknown speaker '" + who + "' in a turn");
        };
        return new Message(role, content);
    }

    private boolean has(JsonNode row, String field) {
        JsonNode v = at(row, fields.get(field));
        return v != null && !v.isNull() && !v.isMissingNode();
    }

    /**
     * A text field: a string (or a number or boolean, as text); a list or object there fails, naming the field and what
     * it holds. TRL's conversational layouts keep role/content lists where these formats keep strings, and reading
     * one as text would make an answer out of the list's JSON.
     */
    private String str(JsonNode row, String field) {
        JsonNode v = at(row, fields.get(field));
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (!v.isValueNode()) {
            throw new IllegalArgumentException("field '" + fields.get(field) + "' must be a string, got " + (v.isArray() ? "a list" : "an object")
                    + " (format " + format.name().toLowerCase(Locale.ROOT).replace('_', '-')
                    + (v.isArray() ? "; a list of role/content messages is a conversational layout these formats do not read"
                    : "") + ")");
        }
        return v.asText();
    }

    private String require(JsonNode row, String... candidates) {
        for (String c : candidates) {
            String v = str(row, c);
            if (v != null) {
                return v;
            }
        }
        throw new IllegalArgumentException("no field '" + fields.get(candidates[0]) + "' (format " + format.name().toLowerCase(Locale.ROOT) + ")");
    }

    /** A field by name, where a dotted name reaches into nested objects ({@code meta.url}). */
    private static JsonNode at(JsonNode row, String name) {
        JsonNode v = row.get(name);
        if (v != null || name.indexOf('.') < 0) {
            return v;
        }
        JsonNode cur = row;
        for (String part : name.split("\\.")) {
            cur = cur == null ? null : cur.get(part);
        }
        return cur;
    }
}
