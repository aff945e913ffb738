package org.rlhf4j.host.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Provenance;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.host.data.RecordMapping.Format;

/**
 * Reads the rows of Hugging Face TRL's dataset types, as "Dataset formats and types" defines them
 * (https://huggingface.co/docs/trl/dataset_formats). Each type comes in TRL's standard form (strings) or its
 * conversational form (lists of {@code {role, content}} messages, roles system, user and assistant), and maps onto a
 * {@link Record} kind:
 * <ul>
 *   <li>language modeling ({@code text} | {@code messages}): a DOCUMENT | a CONVERSATION;</li>
 *   <li>prompt-only ({@code prompt}): a PROMPT, the text in {@code text} | the turns in {@code messages};</li>
 *   <li>prompt-completion ({@code prompt}, {@code completion}): a CONVERSATION of the prompt's turns and the completion's;</li>
 *   <li>preference ({@code prompt}, {@code chosen}, {@code rejected}): a PREFERENCE of the prompt turns and the two
 *       answers. Without a prompt (TRL's implicit prompt), or with a string prompt beside conversational answers, the
 *       prompt is the part {@code chosen} and {@code rejected} share, as TRL's {@code maybe_extract_prompt} does: the
 *       shared leading messages, or the shared leading characters (there moved back to the start of a word the answers
 *       split, so no word is cut between prompt and answer; TRL cuts by character);</li>
 *   <li>unpaired preference ({@code prompt}, {@code completion}, boolean {@code label}, as KTO uses): Record has no
 *       unpaired kind, so a CONVERSATION with the label in {@code meta.kto-label} ("true" | "false"), the key
 *       LLaMA-Factory's KTO rows use too;</li>
 *   <li>stepwise supervision ({@code prompt}, {@code completions} list, {@code labels} list of booleans, standard form
 *       only): a CONVERSATION whose assistant turn is the steps joined by "\n" (the default {@code step_separator} of
 *       TRL's PRM trainer), with the labels in order in {@code meta.step-labels} ("true,false");</li>
 *   <li>UltraFeedback-binarized (HuggingFaceH4/ultrafeedback_binarized: {@code prompt}, {@code prompt_id},
 *       {@code chosen} and {@code rejected} conversations that begin with the user turn, {@code messages},
 *       {@code score_chosen}, {@code score_rejected}): a preference with an implicit prompt, and {@code meta.prompt-id},
 *       {@code meta.score-chosen}, {@code meta.score-rejected}; its SFT splits (no chosen/rejected) read {@code messages}
 *       as a CONVERSATION.</li>
 * </ul>
 * Standard-form texts, which TRL concatenates, become a user turn and an assistant answer here; the whitespace at their
 * join is dropped. A row that mixes the forms (a string prompt, a list completion) fails, as does a message without a
 * role or with a role other than system, user or assistant, naming the field and the message's position.
 */
final class TrlRows {

    private final RecordMapping mapping;

    TrlRows(RecordMapping mapping) {
        this.mapping = mapping;
    }

    /** The TRL type whose fields the row has, or null when it has none of them. */
    Format type(JsonNode row) {
        boolean pair = mapping.has(row, "chosen") && mapping.has(row, "rejected");
        if (pair && mapping.has(row, "score_chosen") && mapping.has(row, "score_rejected")) {
            return Format.ULTRAFEEDBACK_BINARIZED;
        }
        if (pair) {
            return Format.TRL_PREFERENCE;
        }
        if (mapping.has(row, "completions") && mapping.has(row, "labels")) {
            return Format.TRL_STEPWISE;
        }
        if (mapping.has(row, "prompt") && mapping.has(row, "completion")) {
            return mapping.has(row, "label") ? Format.TRL_UNPAIRED_PREFERENCE : Format.TRL_PROMPT_COMPLETION;
        }
        if (mapping.has(row, "prompt")) {
            return Format.TRL_PROMPT_ONLY;
        }
        if (mapping.has(row, "messages") || mapping.has(row, "text")) {
            return Format.TRL_LANGUAGE_MODELING;
        }
        return null;
    }

    /** The row as a record of the given TRL type. */
    Record map(Format type, String id, JsonNode row, Map<String, String> meta, Provenance p) {
        return switch (type) {
            case TRL_LANGUAGE_MODELING -> mapping.has(row, "messages")
                    ? new Record(id, Record.Kind.CONVERSATION, "", messages(row, "messages"), null, meta, p)
                    : Record.document(id, mapping.require(row, "text"), meta, p);
            case TRL_PROMPT_ONLY -> promptOnly(id, row, meta, p);
            case TRL_PROMPT_COMPLETION -> new Record(id, Record.Kind.CONVERSATION, "", promptAndCompletion(row), null, meta, p);
            case TRL_PREFERENCE -> preference(id, row, meta, p);
            case TRL_UNPAIRED_PREFERENCE -> {
                meta.put("kto-label", String.valueOf(bool(mapping.node(row, "label"), "label")));
                yield new Record(id, Record.Kind.CONVERSATION, "", promptAndCompletion(row), null, meta, p);
            }
            case TRL_STEPWISE -> stepwise(id, row, meta, p);
            case ULTRAFEEDBACK_BINARIZED -> ultraFeedback(id, row, meta, p);
            default -> throw new IllegalStateException(type.name());
        };
    }

    private Record promptOnly(String id, JsonNode row, Map<String, String> meta, Provenance p) {
        JsonNode prompt = present(row, "prompt");
        return prompt.isArray() ? new Record(id, Record.Kind.PROMPT, "", messages(row, "prompt"), null, meta, p)
                : new Record(id, Record.Kind.PROMPT, mapping.require(row, "prompt"), null, null, meta, p);
    }

    private List<Message> promptAndCompletion(JsonNode row) {
        List<Message> turns = new ArrayList<>();
        if (conversational(row, "prompt", "completion")) {
            turns.addAll(messages(row, "prompt"));
            turns.addAll(messages(row, "completion"));
        } else {
            turns.add(Message.user(mapping.require(row, "prompt").strip()));
            turns.add(Message.assistant(mapping.require(row, "completion").strip()));
        }
        return turns;
    }

    private Record preference(String id, JsonNode row, Map<String, String> meta, Provenance p) {
        boolean conversational = conversational(row, "chosen", "rejected");
        JsonNode prompt = mapping.node(row, "prompt");
        boolean explicit = prompt != null && !prompt.isNull() && prompt.isArray() == conversational;
        if (conversational) {
            List<Message> chosen = messages(row, "chosen");
            List<Message> rejected = messages(row, "rejected");
            List<Message> turns;
            if (explicit) {
                turns = messages(row, "prompt");
            } else {
                int k = 0;
                while (k < chosen.size() && k < rejected.size() && chosen.get(k).equals(rejected.get(k))) {
                    k++;
                }
                if (k == 0) {
                    throw new IllegalArgumentException("'" + mapping.column("chosen") + "' and '" + mapping.column("rejected")
                            + "' share no leading messages to take as the prompt, and the row has no conversational '"
                            + mapping.column("prompt") + "'");
                }
                turns = chosen.subList(0, k);
                chosen = chosen.subList(k, chosen.size());
                rejected = rejected.subList(k, rejected.size());
            }
            return new Record(id, Record.Kind.PREFERENCE, "", turns, List.of(answer(chosen, "chosen"), answer(rejected, "rejected")),
                    meta, p);
        }
        String chosen = mapping.require(row, "chosen");
        String rejected = mapping.require(row, "rejected");
        String promptText;
        if (explicit) {
            promptText = mapping.require(row, "prompt");
        } else {
            int cut = sharedPrefix(chosen, rejected);
            promptText = chosen.substring(0, cut);
            chosen = chosen.substring(cut);
            rejected = rejected.substring(cut);
        }
        if (promptText.isBlank() || chosen.isBlank() || rejected.isBlank()) {
            throw new IllegalArgumentException(explicit ? "an empty prompt, chosen or rejected text"
                    : "'" + mapping.column("chosen") + "' and '" + mapping.column("rejected")
                    + "' do not split into a shared prompt and two answers (no prompt field, so the prompt is their shared start)");
        }
        return new Record(id, Record.Kind.PREFERENCE, "", List.of(Message.user(promptText.strip())),
                List.of(chosen.strip(), rejected.strip()), meta, p);
    }

    /**
     * The length of the start two texts share, moved back to the start of a word both would otherwise split (letters
     * and digits; ideographs, written without spaces, are words of one character), unless that leaves nothing.
     */
    static int sharedPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        if (i > 0 && Character.isHighSurrogate(a.charAt(i - 1))) {
            i--;
        }
        int cut = i;
        while (cut > 0 && wordChar(a, cut - 1) && (cut < a.length() && wordChar(a, cut) || cut < b.length() && wordChar(b, cut))) {
            cut--;
        }
        return cut == 0 ? i : cut;
    }

    private static boolean wordChar(String s, int at) {
        char c = s.charAt(at);
        return Character.isLetterOrDigit(c) && !Character.isIdeographic(c);
    }

    private Record stepwise(String id, JsonNode row, Map<String, String> meta, Provenance p) {
        JsonNode steps = present(row, "completions");
        JsonNode labels = present(row, "labels");
        if (!steps.isArray() || steps.isEmpty() || !labels.isArray()) {
            throw new IllegalArgumentException("'" + mapping.column("completions") + "' and '" + mapping.column("labels")
                    + "' must be lists (the steps, their booleans)");
        }
        if (steps.size() != labels.size()) {
            throw new IllegalArgumentException(steps.size() + " steps in '" + mapping.column("completions") + "' but "
                    + labels.size() + " labels in '" + mapping.column("labels") + "'");
        }
        if (present(row, "prompt").isArray()) {
            throw new IllegalArgumentException("field '" + mapping.column("prompt")
                    + "' must be a string: stepwise supervision has a standard form only");
        }
        List<String> texts = new ArrayList<>();
        List<String> marks = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            if (!steps.get(i).isTextual()) {
                throw new IllegalArgumentException("step " + (i + 1) + " of '" + mapping.column("completions")
                        + "' is not a string (stepwise supervision has a standard form only)");
            }
            texts.add(steps.get(i).asText());
            marks.add(String.valueOf(bool(labels.get(i), "labels")));
        }
        meta.put("step-labels", String.join(",", marks));
        return new Record(id, Record.Kind.CONVERSATION, "", List.of(Message.user(mapping.require(row, "prompt").strip()),
                Message.assistant(String.join("\n", texts))), null, meta, p);
    }

    private Record ultraFeedback(String id, JsonNode row, Map<String, String> meta, Provenance p) {
        String promptId = mapping.str(row, "prompt_id");
        if (promptId != null) {
            meta.put("prompt-id", promptId);
        }
        if (!(mapping.has(row, "chosen") && mapping.has(row, "rejected"))) {
            return new Record(id, Record.Kind.CONVERSATION, "", messages(row, "messages"), null, meta, p);
        }
        for (String score : List.of("score_chosen", "score_rejected")) {
            JsonNode v = mapping.node(row, score);
            if (v != null && !v.isNull()) {
                if (!v.isNumber() && !(v.isTextual() && isNumber(v.asText()))) {
                    throw new IllegalArgumentException("field '" + mapping.column(score) + "' must be a number, got " + v);
                }
                meta.put(score.replace('_', '-'), v.asText());
            }
        }
        return preference(id, row, meta, p);
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether the row's two fields are message lists (both) or strings (both); a mixed row fails. */
    private boolean conversational(JsonNode row, String a, String b) {
        JsonNode x = present(row, a);
        JsonNode y = present(row, b);
        if (x.isArray() != y.isArray()) {
            throw new IllegalArgumentException("'" + mapping.column(a) + "' is " + (x.isArray() ? "a list of messages" : "a string")
                    + " but '" + mapping.column(b) + "' " + (y.isArray() ? "a list of messages" : "a string")
                    + ": a TRL row is standard (strings) or conversational (message lists) throughout");
        }
        return x.isArray();
    }

    private JsonNode present(JsonNode row, String field) {
        JsonNode v = mapping.node(row, field);
        if (v == null || v.isNull() || v.isMissingNode()) {
            throw new IllegalArgumentException("no field '" + mapping.column(field) + "' (format " + mapping.formatName() + ")");
        }
        return v;
    }

    /** A conversational field: a non-empty list of {role, content} messages. */
    private List<Message> messages(JsonNode row, String field) {
        JsonNode list = present(row, field);
        String name = mapping.column(field);
        if (!list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException("field '" + name + "' must be a non-empty list of {role, content} messages, got "
                    + (list.isArray() ? "an empty list" : list.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode m = list.get(i);
            String where = "message " + (i + 1) + " of '" + name + "'";
            if (!m.isObject()) {
                throw new IllegalArgumentException(where + " is not a {role, content} object");
            }
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual()) {
                throw new IllegalArgumentException(where + " has no 'role'" + (m.has("from") ? " (a 'from' turn is sharegpt's layout)" : ""));
            }
            JsonNode content = m.get("content");
            if (content == null || !content.isTextual()) {
                throw new IllegalArgumentException(where + " has no string 'content'"
                        + (content != null && content.isArray() ? " (multimodal content parts are not read)" : ""));
            }
            Message.Role r = switch (role.asText().toLowerCase(Locale.ROOT)) {
                case "system" -> Message.Role.SYSTEM;
                case "user" -> Message.Role.USER;
                case "assistant" -> Message.Role.ASSISTANT;
                default -> throw new IllegalArgumentException(where + " has role '" + role.asText()
                        + "'; the roles read are system, user and assistant");
            };
            out.add(new Message(r, content.asText()));
        }
        return out;
    }

    /** The answer a preference's completion holds: exactly one assistant message. */
    private String answer(List<Message> completion, String field) {
        if (completion.size() != 1 || completion.get(0).role() != Message.Role.ASSISTANT) {
            String got = completion.size() == 1 ? "a " + completion.get(0).role().name().toLowerCase(Locale.ROOT) + " message"
                    : completion.size() + " messages";
            throw new IllegalArgumentException("the '" + mapping.column(field) + "' completion after the prompt must be one"
                    + " assistant message, got " + got);
        }
        return completion.get(0).content();
    }

    private boolean bool(JsonNode v, String field) {
        if (v != null && v.isBoolean()) {
            return v.asBoolean();
        }
        if (v != null && v.isTextual() && (v.asText().equalsIgnoreCase("true") || v.asText().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(v.asText().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException("field '" + mapping.column(field) + "' must hold true or false, got " + v);
    }
}
