package org.rlhf4j.host.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.classify.CategoryLabels;
import org.rlhf4j.host.records.RecordJsonl;
import org.rlhf4j.host.evaluate.EvalSet;

/**
 * One input line of a batch job, as it travels to an executor: its place in the job and its text, parsed where
 * it is used ({@link #parse}). Two line formats are read:
 * <ul>
 *   <li>plain: {@code {"id"?, "prompt", "answer"? | "answers"?, "category"?}} (a missing id is
 *       {@code <file name>:<line>}); the output of {@code rlhf batch generate} is of this form;</li>
 *   <li>the run directory's Record JSONL (a line with {@code "kind"}): PROMPT, CONVERSATION (the turns before the
 *       last assistant turns are the prompt, that answer the answer) and PREFERENCE records (the answers), as the
 *       evaluate stage reads them ({@link EvalSet}).</li>
 * </ul>
 *
 * @param index the line's place among the job's records (over all input files, from 0)
 * @param file the input file, as given
 * @param line the line number in {@code file}, from 1
 * @param text the line
 */
public record BatchItem(long index, String file, long line, String text) implements Serializable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a line holds.
     *
     * @param messages the conversation to answer (its last turn is the user's)
     * @param prompt the last turn's text
     * @param answers the answers to score (empty when the line has none)
     * @param single whether the line gave one {@code answer} (outputs then use singular field names)
     */
    public record Parsed(String id, List<Message> messages, String prompt, List<String> answers, boolean single,
                         String category) {
    }

    /** {@code file:line}, for messages. */
    public String where() {
        return file + ":" + line;
    }

    /** Parses the line; a malformed one fails naming {@link #where()}. */
    public Parsed parse(CategoryLabels labels) {
        JsonNode o;
        try {
            o = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new StageFailure(where() + ": not JSON: " + e.getOriginalMessage());
        }
        if (o == null || !o.isObject()) {
            throw new StageFailure(where() + ": a line must be a JSON object");
        }
        if (o.has("kind")) {
            Record r = RecordJsonl.fromLine(text, where());
            EvalSet.Item item = EvalSet.item(r, labels, where());
            if (item == null) {
                throw new StageFailure(where() + ": record " + r.id() + " (" + r.kind() + ") holds no prompt to answer");
            }
            List<String> answers = r.kind() == Record.Kind.PREFERENCE ? r.answers()
                    : item.reference() != null ? List.of(item.reference()) : List.of();
            return new Parsed(r.id(), item.messages(), item.prompt(), answers, r.kind() != Record.Kind.PREFERENCE,
                    item.category());
        }
        JsonNode prompt = o.get("prompt");
        if (prompt == null || !prompt.isTextual() || prompt.asText().isBlank()) {
            throw new StageFailure(where() + ": needs a \"prompt\" string (or a Record JSONL line with \"kind\")");
        }
        List<String> answers = new ArrayList<>();
        boolean single = o.has("answer");
        if (single) {
            answers.add(text(o.get("answer"), "answer"));
        } else if (o.has("answers")) {
            if (!o.get("answers").isArray()) {
                throw new StageFailure(where() + ": \"answers\" must be a list of strings");
            }
            for (JsonNode a : o.get("answers")) {
                answers.add(text(a, "answers"));
            }
        }
        String id = o.hasNonNull("id") ? o.get("id").asText() : Path.of(file).getFileName() + ":" + line;
        String category = o.hasNonNull("category") ? o.get("category").asText() : EvalSet.UNCATEGORISED;
        return new Parsed(id, List.of(Message.user(prompt.asText())), prompt.asText(), List.copyOf(answers), single, category);
    }

    private String text(JsonNode n, String field) {
        if (n == null || !n.isTextual()) {
            throw new StageFailure(where() + ": \"" + field + "\" must hold strings");
        }
        return n.asText();
    }
}
