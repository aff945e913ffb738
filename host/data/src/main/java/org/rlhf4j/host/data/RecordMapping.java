package org.rlhf4j.host.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
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
 *   <li>Hugging Face TRL's dataset types, standard or conversational ({@link TrlRows} says how each maps):
 *       {@code trl-language-modeling}, {@code trl-prompt-only}, {@code trl-prompt-completion}, {@code trl-preference}
 *       (explicit or implicit prompt), {@code trl-unpaired-preference}, {@code trl-stepwise},
 *       {@code ultrafeedback-binarized}; {@code trl} picks the TRL type by the row's fields;</li>
 *   <li>{@code auto}: by the row's fields: {@code conversations} sharegpt; {@code score_chosen}/{@code score_rejected}
 *       beside a pair ultrafeedback-binarized; {@code messages} with a {@code label} or object answers (LLaMA-Factory)
 *       sharegpt, else trl-language-modeling; a pair with "Human:" turn markers rm-static (in the prompt) or hh-rlhf
 *       (no prompt), else trl-preference; alpaca; {@code text} document; a string {@code prompt} alone prompt; then
 *       the TRL types. A row with none of these fails naming the fields it has and the formats known.</li>
 * </ul>
 * {@code fields { text = "content" }} renames a field; {@code meta-fields = [url, lang]} copies row
 * fields into meta; {@code meta { license = MIT }} adds fixed meta values.
 */
public final class RecordMapping {

    /** The known row layouts. */
    public enum Format {
        AUTO, DOCUMENT, PROMPT, RM_STATIC, HH_RLHF, ALPACA, SHAREGPT, TRL, TRL_LANGUAGE_MODELING, TRL_PROMPT_ONLY,
        TRL_PROMPT_COMPLETION, TRL_PREFERENCE, TRL_UNPAIRED_PREFERENCE, TRL_STEPWISE, ULTRAFEEDBACK_BINARIZED;

        /** The name a source spec gives, e.g. {@code trl-prompt-only}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static String known() {
            return Arrays.stream(values()).map(Format::configName).collect(Collectors.joining(", "));
        }
    }

    private static final String[] FIELDS = {"id", "text", "prompt", "chosen", "rejected", "instruction", "input",
        "output", "system", "history", "conversations", "category", "messages", "completion", "label", "completions",
        "labels", "prompt_id", "score_chosen", "score_rejected"};

    private final Format format;
    private final Map<String, String> fields;
    private final List<String> metaFields;
    private final Map<String, String> fixedMeta;
    private final TrlRows trl = new TrlRows(this);

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
            throw new ConfigProblem(spec, "format", "unknown format '" + f + "'; known: " + Format.known());
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
        Format f = format == Format.AUTO ? detect(row) : format == Format.TRL ? trlType(row) : format;
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
        meta.putIfAbsent("format", f.configName());
        return switch (f) {
            case DOCUMENT -> Record.document(id, require(row, "text"), meta, provenance);
            case PROMPT -> new Record(id, Record.Kind.PROMPT, require(row, "prompt", "text"), null, null, meta, provenance);
            case RM_STATIC -> new Record(id, Record.Kind.PREFERENCE, "", Dialogue.parse(require(row, "prompt")),
                    List.of(require(row, "chosen").strip(), require(row, "rejected").strip()), meta, provenance);
            case HH_RLHF -> hh(id, row, meta, provenance);
            case ALPACA -> alpaca(id, row, meta, provenance);
            case SHAREGPT -> shareGpt(id, row, meta, provenance);
            case TRL_LANGUAGE_MODELING, TRL_PROMPT_ONLY, TRL_PROMPT_COMPLETION, TRL_PREFERENCE, TRL_UNPAIRED_PREFERENCE,
                 TRL_STEPWISE, ULTRAFEEDBACK_BINARIZED -> trl.map(f, id, row, meta, provenance);
            case AUTO, TRL -> throw new IllegalStateException();
        };
    }

    private Format detect(JsonNode row) {
        if (has(row, "conversations")) {
            return Format.SHAREGPT;
        }
        boolean pair = has(row, "chosen") && has(row, "rejected");
        if (pair && has(row, "score_chosen") && has(row, "score_rejected")) {
            return Format.ULTRAFEEDBACK_BINARIZED;
        }
        if (has(row, "messages") && (has(row, "label") || pair && node(row, "chosen").isObject())) {
            return Format.SHAREGPT;
        }
        if (has(row, "messages") && !pair) {
            return Format.TRL_LANGUAGE_MODELING;
        }
        if (pair) {
            JsonNode prompt = node(row, "prompt");
            if (prompt != null && !prompt.isNull()) {
                return prompt.isTextual() && dialogue(prompt.asText()) ? Format.RM_STATIC : Format.TRL_PREFERENCE;
            }
            JsonNode chosen = node(row, "chosen");
            return chosen.isTextual() && dialogue(chosen.asText()) ? Format.HH_RLHF : Format.TRL_PREFERENCE;
        }
        if (has(row, "instruction") && has(row, "output")) {
            return Format.ALPACA;
        }
        if (has(row, "text")) {
            return Format.DOCUMENT;
        }
        if (has(row, "prompt") && !has(row, "completion") && !has(row, "completions") && node(row, "prompt").isValueNode()) {
            return Format.PROMPT;
        }
        Format t = trl.type(row);
        if (t == null) {
            throw new IllegalArgumentException(noLayout(row, "auto"));
        }
        return t;
    }

    private Format trlType(JsonNode row) {
        Format t = trl.type(row);
        if (t == null) {
            throw new IllegalArgumentException(noLayout(row, "trl"));
        }
        return t;
    }

    private static String noLayout(JsonNode row, String how) {
        List<String> seen = new ArrayList<>();
        row.fieldNames().forEachRemaining(seen::add);
        return "format " + how + " found no known layout in the fields " + seen + "; known formats: " + Format.known()
                + " (set format, and fields { ... } to rename columns)";
    }

    /** Whether a text holds "Human:" turn markers (Anthropic's and DeepSpeed-Chat's dialogue text). */
    private static boolean dialogue(String text) {
        return text.contains("Human:");
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
        JsonNode turns = has(row, "conversations") ? node(row, "conversations") : node(row, "messages");
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
        if (has(row, "label") && node(row, "label").isBoolean()) {
            meta.put("kto-label", node(row, "label").asText());
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

    /** Whether the row holds a non-null value in the column a field maps to. */
    boolean has(JsonNode row, String field) {
        JsonNode v = at(row, fields.get(field));
        return v != null && !v.isNull() && !v.isMissingNode();
    }

    /** The value in the column a field maps to, or null. */
    JsonNode node(JsonNode row, String field) {
        return at(row, fields.get(field));
    }

    /** The column a field maps to (its own name unless {@code fields} renames it). */
    String column(String field) {
        return fields.get(field);
    }

    /** The configured format's name, for messages. */
    String formatName() {
        return format.configName();
    }

    /**
     * A text field: a string (or a number or boolean, as text); a list or object there fails, naming the field and what
     * it holds. TRL's conversational layouts keep role/content lists where the other formats keep strings, and reading
     * one as text would make an answer out of the list's JSON.
     */
    String str(JsonNode row, String field) {
        JsonNode v = at(row, fields.get(field));
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (!v.isValueNode()) {
            throw new IllegalArgumentException("field '" + fields.get(field) + "' must be a string, got " + (v.isArray() ? "a list" : "an object")
                    + " (format " + format.configName()
                    + (v.isArray() ? "; a list of role/content messages is TRL's conversational layout: format = trl reads it"
                    : "") + ")");
        }
        return v.asText();
    }

    String require(JsonNode row, String... candidates) {
        for (String c : candidates) {
            String v = str(row, c);
            if (v != null) {
                return v;
            }
        }
        throw new IllegalArgumentException("no field '" + fields.get(candidates[0]) + "' (format " + format.configName() + ")");
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
