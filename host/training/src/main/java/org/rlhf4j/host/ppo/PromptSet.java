package org.rlhf4j.host.ppo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.train.OverLong;
import org.rlhf4j.host.model.tokenizer.ChatTemplate;
import org.rlhf4j.host.model.tokenizer.Tokenizer;

/**
 * The prompts PPO rolls out on: PROMPT records (the text is the user's turn) or CONVERSATION records (every
 * turn before the last assistant turn is the context, so multi-turn dialogue is trained on its last answer).
 */
public final class PromptSet {

    /** One prompt: its conversation so far, the text a reward function sees, its metadata and encoding. */
    public record Prompt(String id, List<Message> messages, String text, Map<String, String> meta, int[] ids, String where) {
    }

    private PromptSet() {
    }

    /**
     * Reads and encodes the prompts of {@code files}. A prompt that leaves fewer than {@code minNew} positions
     * of the context fails, naming the record.
     */
    public static List<Prompt> load(List<Record> records, Tokenizer tokenizer, ChatTemplate template, int context, int minNew,
                                    String stage) {
        return load(records, tokenizer, template, context, minNew, new OverLong.Tally(stage, OverLong.FAIL));
    }

    /**
     * Reads and encodes the prompts of {@code records}; a prompt that leaves fewer than {@code minNew} positions of the
     * context is handled by {@code overLong} (truncated: its start is cut, so its end stays next to the answer).
     */
    public static List<Prompt> load(List<Record> records, Tokenizer tokenizer, ChatTemplate template, int context, int minNew,
                                    OverLong.Tally overLong) {
        String stage = overLong.stage();
        List<Prompt> out = new ArrayList<>();
        for (Record r : records) {
                List<Message> messages = context(r);
                if (messages == null) {
                    continue;
                }
                String where = r.provenance() != null ? r.provenance().toString() : "record " + r.id();
                int[] ids = template.encodePrompt(tokenizer, messages);
                if (ids.length + minNew > context) {
                    if (!overLong.handle("prompt " + r.id() + " (" + where + ")", ids.length + minNew,
                            context, context - minNew > 0)) {
                        continue;
                    }
                    ids = java.util.Arrays.copyOfRange(ids, ids.length - (context - minNew), ids.length);
                }
                String text = messages.get(messages.size() - 1).content();
                out.add(new Prompt(r.id(), messages, text, r.meta(), ids, where));
        }
        if (out.isEmpty()) {
            throw new StageFailure("stage " + stage + ": no prompts (PROMPT or CONVERSATION records) among the "
                    + records.size() + " records of its input, files and sources");
        }
        return out;
    }

    /** The conversation before the answer to be generated, or null for a record that holds no prompt. */
    static List<Message> context(Record r) {
        switch (r.kind()) {
            case PROMPT:
                return r.messages().isEmpty() ? List.of(Message.user(r.text())) : r.messages();
            case CONVERSATION, PREFERENCE: {
                List<Message> m = r.messages();
                int end = m.size();
                if (r.kind() == Record.Kind.CONVERSATION) {
                    while (end > 0 && m.get(end - 1).role() == Message.Role.ASSISTANT) {
                        end--;
                    }
                }
                return end == 0 ? null : List.copyOf(m.subList(0, end));
            }
            default:
                return null;
        }
    }
}
