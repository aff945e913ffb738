package org.rlhf4j.host.model.tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One token per character (Unicode code point), as nanoGPT's Shakespeare-char benchmark: the vocabulary
 * is the corpus's characters in code-point order, then the specials. A character outside it is an error.
 */
public final class CharTokenizer implements Tokenizer {

    private final int[] codePoints;              // id -> code point
    private final Map<Integer, Integer> ids = new HashMap<>();
    private final SpecialTokens specials;

    public CharTokenizer(int[] codePoints, SpecialTokens specials) {
        this.codePoints = codePoints.clone();
        for (int i = 0; i < codePoints.length; i++) {
            ids.put(codePoints[i], i);
        }
        this.specials = specials;
    }

    /** The tokenizer of every character in {@code corpus}. */
    public static CharTokenizer of(Iterable<String> corpus) {
        TreeSet<Integer> chars = new TreeSet<>();
        for (String text : corpus) {
            SpecialTokens.startingAt(0).split(text, piece -> piece.codePoints().forEach(chars::add), id -> { });
        }
        int[] cps = chars.stream().mapToInt(Integer::intValue).toArray();
        return new CharTokenizer(cps, SpecialTokens.startingAt(cps.length));
    }

    @Override
    public int[] encode(String text) {
        List<Integer> out = new ArrayList<>();
        specials.split(text, piece -> piece.codePoints().forEach(cp -> {
            Integer id = ids.get(cp);
            if (id == null) {
                throw new IllegalArgumentException("character " + new String(Character.toChars(cp)) + " (U+"
                        + Integer.toHexString(cp).toUpperCase() + ") is not in the char tokenizer's vocabulary");
            }
            out.add(id);
        }), out::add);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String decode(int[] tokenIds) {
        StringBuilder sb = new StringBuilder();
        for (int id : tokenIds) {
            if (id >= 0 && id < codePoints.length) {
                sb.appendCodePoint(codePoints[id]);
            } else {
                String special = specials.token(id);
                if (special == null) {
                    throw new IllegalArgumentException("token id " + id + " is not in the vocabulary of " + vocabSize());
                }
                sb.append(special);
            }
        }
        return sb.toString();
    }

    @Override
    public int vocabSize() {
        return codePoints.length + specials.asMap().size();
    }

    @Override
    public SpecialTokens specials() {
        return specials;
    }

    int[] codePoints() {
        return codePoints.clone();
    }

    @Override
    public void save(Path file) throws IOException {
        TokenizerJson.writeChar(this, file);
    }
}
