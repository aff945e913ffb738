package org.rlhf4j.host.model.tokenizer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The tokens that are never split: end of text and the chat roles. Each has its own id after the ordinary
 * vocabulary; a tokenizer cuts the text at them before encoding the pieces between.
 */
public final class SpecialTokens {

    public static final String END_OF_TEXT = "<|endoftext|>";
    public static final String SYSTEM = "<|system|>";
    public static final String USER = "<|user|>";
    public static final String ASSISTANT = "<|assistant|>";

    /** The specials every tokenizer of rlhf4j has, in id order. */
    public static final List<String> DEFAULT = List.of(END_OF_TEXT, SYSTEM, USER, ASSISTANT);

    private final Map<String, Integer> ids;

    public SpecialTokens(Map<String, Integer> ids) {
        this.ids = Collections.unmodifiableMap(new LinkedHashMap<>(ids));
        if (!ids.containsKey(END_OF_TEXT)) {
            throw new IllegalArgumentException("a tokenizer needs the special token " + END_OF_TEXT);
        }
    }

    /** The default specials numbered from {@code firstId}. */
    public static SpecialTokens startingAt(int firstId) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String s : DEFAULT) {
            m.put(s, firstId + m.size());
        }
        return new SpecialTokens(m);
    }

    /** The id of a special token; throws when this tokenizer lacks it. */
    public int id(String token) {
        Integer id = ids.get(token);
        if (id == null) {
            throw new IllegalArgumentException("the tokenizer has no special token " + token + " (it has " + ids.keySet() + ")");
        }
        return id;
    }

    /** The special token with this id, or null. */
    public String token(int id) {
        for (Map.Entry<String, Integer> e : ids.entrySet()) {
            if (e.getValue() == id) {
                return e.getKey();
            }
        }
        return null;
    }

    public Map<String, Integer> asMap() {
        return ids;
    }

    /**
     * Cuts {@code text} at special tokens: ordinary pieces go to {@code text}, specials to {@code special}, in
     * order. The earliest match wins; at one position the longest.
     */
    public void split(String text, Consumer<String> plain, IntConsumer special) {
        int from = 0;
        while (from < text.length()) {
            int best = -1;
            String bestToken = null;
            for (String s : ids.keySet()) {
                int at = text.indexOf(s, from);
                if (at >= 0 && (best < 0 || at < best || (at == best && s.length() > bestToken.length()))) {
                    best = at;
                    bestToken = s;
                }
            }
            if (best < 0) {
                plain.accept(text.substring(from));
                return;
            }
            if (best > from) {
                plain.accept(text.substring(from, best));
            }
            special.accept(ids.get(bestToken));
            from = best + bestToken.length();
        }
    }

    /** The pieces of {@link #split} as a list, specials as their strings (for tests and debugging). */
    public List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        split(text, out::add, id -> out.add(token(id)));
        return out;
    }
}
