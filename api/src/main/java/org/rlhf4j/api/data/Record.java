package org.rlhf4j.api.data;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The unit that flows through the data stages (acquire, filter, classify, split) and into training.
 *
 * <ul>
 *   <li>{@link Kind#DOCUMENT}: plain text for pretraining, in {@code text}.</li>
 *   <li>{@link Kind#PROMPT}: an instruction without an answer (PPO and evaluation prompts), in {@code text}.</li>
 *   <li>{@link Kind#CONVERSATION}: SFT data: {@code messages}, user and assistant turns (one turn is an
 *       Alpaca or prompt/response pair).</li>
 *   <li>{@link Kind#PREFERENCE}: {@code messages} hold the prompt turns, {@code answers} two or more
 *       answers ordered best first (chosen, then rejected); {@code meta} may carry ties or safety labels.</li>
 * </ul>
 *
 * @param id a stable id (source and line, or a content hash), used to break ties deterministically
 * @param meta free string fields: license, url, language, category, repository ...
 *
 * @since 0.1.0
 */
public record Record(String id, Kind kind, String text, List<Message> messages, List<String> answers,
                     Map<String, String> meta, Provenance provenance) {

    /** What a record holds; see the class comment. */
    public enum Kind { DOCUMENT, PROMPT, CONVERSATION, PREFERENCE }

    public Record {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        text = text == null ? "" : text;
        messages = List.copyOf(messages == null ? List.of() : messages);
        answers = List.copyOf(answers == null ? List.of() : answers);
        meta = Map.copyOf(meta == null ? Map.of() : meta);
    }

    /** A document record. */
    public static Record document(String id, String text, Map<String, String> meta, Provenance provenance) {
        return new Record(id, Kind.DOCUMENT, text, List.of(), List.of(), meta, provenance);
    }

    /** This record with other text (for filters that rewrite, e.g. PII redaction). */
    public Record withText(String newText) {
        return new Record(id, kind, newText, messages, answers, meta, provenance);
    }

    /** This record with one more meta field (or a replaced one). */
    public Record withMeta(String key, String value) {
        Map<String, String> m = new java.util.HashMap<>(meta);
        m.put(key, value);
        return new Record(id, kind, text, messages, answers, m, provenance);
    }
}
