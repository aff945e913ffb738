package org.rlhf4j.host.model.tokenizer;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.data.Message;

/**
 * How a conversation becomes text, from the {@code tokenizer.templates.<name>} block. Each role's pattern
 * holds {@code {text}} where the turn's text goes:
 * <pre>
 *   deepspeed:  " Human: {text}"  " Assistant: {text}<|endoftext|>"            (DeepSpeed-Chat)
 *   beaver:     "BEGINNING OF CONVERSATION:" " USER: {text}" " ASSISTANT: {text}<|endoftext|>"  (Safe-RLHF)
 *   chat:       "<|user|>{text}"  "<|assistant|>{text}<|endoftext|>"             (role tokens, multi-turn)
 * </pre>
 * What an assistant turn adds from {@code {text}} on (the answer and its end marker) is what SFT trains
 * on; the rest is context. Whitespace just before {@code {text}} belongs to the answer, so a prompt ends
 * with {@code "Assistant:"} and the answer starts {@code " Sure"}, as DeepSpeed-Chat's data has it.
 */
public record ChatTemplate(String name, String begin, String system, String user, String assistant) {

    private static final String SLOT = "{text}";

    /** A piece of rendered text; {@code trained} marks the answer pieces SFT learns. */
    public record Segment(String text, boolean trained) {
    }

    /** Token ids of a conversation and, per id, whether the loss covers it. */
    public record Encoded(int[] ids, boolean[] trained) {
    }

    public ChatTemplate {
        for (String[] p : new String[][] {{"system", system}, {"user", user}, {"assistant", assistant}}) {
            if (!p[1].contains(SLOT)) {
                throw new IllegalArgumentException("template " + name + "." + p[0] + " has no " + SLOT + ": '" + p[1] + "'");
            }
        }
    }

    /** The template named by {@code tokenizer.template}, from {@code tokenizer.templates}. */
    public static ChatTemplate from(Config tokenizer) {
        String name = tokenizer.getString("template");
        String path = "templates." + name;
        if (!tokenizer.hasPath(path)) {
            throw new ConfigProblem(tokenizer, "template", "no template '" + name + "' in tokenizer.templates (known: "
                    + tokenizer.getConfig("templates").root().keySet() + ")");
        }
        Config t = tokenizer.getConfig(path);
        try {
            return new ChatTemplate(name, t.getString("begin"), t.getString("system"), t.getString("user"),
                    t.getString("assistant"));
        } catch (IllegalArgumentException e) {
            throw new ConfigProblem(tokenizer, path, e.getMessage());
        }
    }

    /** A whole conversation, answers marked as trained. */
    public List<Segment> render(List<Message> messages) {
        List<Segment> out = new ArrayList<>();
        if (!begin.isEmpty()) {
            out.add(new Segment(begin, false));
        }
        for (Message m : messages) {
            switch (m.role()) {
                case SYSTEM -> out.add(new Segment(system.replace(SLOT, m.content()), false));
                case USER -> out.add(new Segment(user.replace(SLOT, m.content()), false));
                case ASSISTANT -> {
                    out.add(new Segment(assistantPrefix(), false));
                    out.add(new Segment(assistantAnswer().replace(SLOT, m.content()), true));
                }
            }
        }
        return out;
    }

    /** The context for the next answer: the conversation so far and the assistant's opening. */
    public String prompt(List<Message> messages) {
        StringBuilder sb = new StringBuilder();
        for (Segment s : render(messages)) {
            sb.append(s.text());
        }
        return sb.append(assistantPrefix()).toString();
    }

    /** The text of a whole conversation. */
    public String text(List<Message> messages) {
        StringBuilder sb = new StringBuilder();
        render(messages).forEach(s -> sb.append(s.text()));
        return sb.toString();
    }

    /** Encodes a conversation piece by piece, so the trained mask follows the pieces exactly. */
    public Encoded encode(Tokenizer tokenizer, List<Message> messages) {
        List<Integer> ids = new ArrayList<>();
        List<Boolean> trained = new ArrayList<>();
        for (Segment s : render(messages)) {
            for (int id : tokenizer.encode(s.text())) {
                ids.add(id);
                trained.add(s.trained());
            }
        }
        boolean[] mask = new boolean[trained.size()];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = trained.get(i);
        }
        return new Encoded(ids.stream().mapToInt(Integer::intValue).toArray(), mask);
    }

    /** Encodes the context of the next answer exactly as {@link #encode} encodes it inside a conversation. */
    public int[] encodePrompt(Tokenizer tokenizer, List<Message> messages) {
        List<Integer> ids = new ArrayList<>();
        for (Segment s : render(messages)) {
            for (int id : tokenizer.encode(s.text())) {
                ids.add(id);
            }
        }
        for (int id : tokenizer.encode(assistantPrefix())) {
            ids.add(id);
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The assistant pattern before {@code {text}}, without the whitespace that belongs to the answer. */
    private String assistantPrefix() {
        String before = assistant.substring(0, assistant.indexOf(SLOT));
        return before.stripTrailing();
    }

    /** The assistant pattern from the whitespace before {@code {text}} to its end. */
    private String assistantAnswer() {
        return assistant.substring(assistantPrefix().length());
    }
}
