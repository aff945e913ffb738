package org.rlhf4j.host.annotate.interchange;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rlhf4j.api.stage.StageFailure;

/**
 * Where a project of another annotation tool keeps a task's prompt and answers, and the names our exported
 * projects give their controls (Label Studio's {@code from_name}, Argilla's question names); an import reads
 * the same names back.
 *
 * <p>The prompt is the data field (Label Studio {@code data}, Argilla {@code fields}) named {@code promptField}.
 * The answers are the fields named in {@code answerFields}, in order; when none are named, the fields
 * {@code answer_1}, {@code answer_2} ... that are present, or else an {@code answers} array of strings or of
 * Label Studio {@code List} items ({@code {id, title, body}}).
 *
 * @param promptField the field holding the prompt
 * @param answerFields the fields holding the answers in order; empty for the default names
 */
public record ProjectLayout(String promptField, List<String> answerFields) {

    /** Our own exports' layout: {@code prompt}, {@code answer_1} ... */
    public static final ProjectLayout DEFAULT = new ProjectLayout("prompt", List.of());

    static final String TASK_ID = "task_id";
    static final String KIND = "kind";
    static final String ANSWERS = "answers";
    /** Label Studio {@code Ranker} over the answers; Argilla ranking question. */
    static final String RANK = "rank";
    /** Label Studio {@code Pairwise} of two answers. */
    static final String PICK = "pick";
    /** A single choice {@code Tie} beside a Pairwise; Argilla's {@code preference} question has a {@code tie} option. */
    static final String TIE = "tie";
    /** Argilla's label question for a comparison: {@code answer_1}, {@code answer_2} or {@code tie}. */
    static final String PREFERENCE = "preference";
    static final String SAFER = "safer";
    static final String CATEGORY = "category";
    static final String EDITED_PROMPT = "edited_prompt";
    static final String EDITED_ANSWER = "edited_answer";
    static final String REASON = "reason";
    static final String RATING = "rating_";
    static final String SAFE = "safe_";
    static final String FLAGS = "flags_";

    public ProjectLayout {
        answerFields = List.copyOf(answerFields == null ? List.of() : answerFields);
    }

    /** One answer of an item: the id controls refer to it by, and its text. */
    record Answer(String id, String text) {
    }

    /** The name of answer {@code i} (0-based): {@code answer_1} ... */
    static String answer(int i) {
        return "answer_" + (i + 1);
    }

    /** The 0-based answer index in a numbered name ({@code rating_3} with prefix {@code rating_} is 2), or -1. */
    static int numbered(String name, String prefix) {
        if (name == null || !name.startsWith(prefix) || !name.substring(prefix.length()).matches("[1-9][0-9]?")) {
            return -1;
        }
        return Integer.parseInt(name.substring(prefix.length())) - 1;
    }

    /** The prompt of an item; fails naming the field when it is missing. */
    String prompt(JsonNode data, String where) {
        JsonNode p = data.get(promptField);
        if (p == null || !p.isTextual()) {
            throw new StageFailure(where + ": no text field \"" + promptField + "\" with the prompt (name the prompt's field with --prompt)");
        }
        return p.asText();
    }

    /** The answers of an item in the order shown; empty when it has none. */
    List<Answer> answers(JsonNode data, String where) {
        List<Answer> out = new ArrayList<>();
        if (!answerFields.isEmpty()) {
            for (String f : answerFields) {
                JsonNode a = data.get(f);
                if (a == null || !a.isTextual()) {
                    throw new StageFailure(where + ": no text field \"" + f + "\" (named by --answers)");
                }
                out.add(new Answer(f, a.asText()));
            }
            return out;
        }
        for (int i = 0; data.hasNonNull(answer(i)); i++) {
            out.add(new Answer(answer(i), data.get(answer(i)).asText()));
        }
        if (!out.isEmpty() || !data.has(ANSWERS)) {
            return out;
        }
        JsonNode list = data.get(ANSWERS);
        if (!list.isArray()) {
            throw new StageFailure(where + ": \"answers\" must be an array of strings or of {id, body} items");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode a = list.get(i);
            if (a.isTextual()) {
                out.add(new Answer(answer(i), a.asText()));
            } else if (a.isObject() && a.hasNonNull("id")) {
                String text = a.hasNonNull("body") ? a.get("body").asText() : a.hasNonNull("html") ? a.get("html").asText()
                        : a.path("title").asText("");
                out.add(new Answer(a.get("id").asText(), text));
            } else {
                throw new StageFailure(where + ": answers[" + i + "] is neither a string nor an {id, body} item");
            }
        }
        return out;
    }

    /** The index of the answer {@code ref} names (its id, or {@code answer_N} / {@code Answer N}); fails naming it when none. */
    static int indexOf(List<Answer> answers, String ref, String where) {
        for (int i = 0; i < answers.size(); i++) {
            if (answers.get(i).id().equals(ref)) {
                return i;
            }
        }
        int n = numbered(ref.toLowerCase(Locale.ROOT).replace(' ', '_'), "answer_"); // also a choice shown as "Answer 2"
        if (n >= 0 && n < answers.size()) {
            return n;
        }
        throw new StageFailure(where + ": '" + ref + "' names none of the task's " + answers.size() + " answers ("
                + answers.stream().map(Answer::id).toList() + ")");
    }
}
