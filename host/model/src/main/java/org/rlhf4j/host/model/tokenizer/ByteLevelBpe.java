package org.rlhf4j.host.model.tokenizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPT-2's byte-level BPE (Radford et al. 2019; Sennrich et al. 2016 for BPE): text is cut into words by
 * GPT-2's pattern, each word's UTF-8 bytes are the initial symbols, and learned merges join the most
 * frequent adjacent pairs. Any string round-trips exactly, whatever its script, since every byte is a
 * symbol. Tokens are written in GPT-2's printable byte alphabet, as Hugging Face's {@code ByteLevel} does.
 */
public final class ByteLevelBpe implements Tokenizer {

    /** GPT-2's pre-tokenizer pattern: contractions, letters, numbers, other symbols, whitespace. */
    static final Pattern WORDS = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    /** GPT-2's bytes_to_unicode: byte -> a printable character. */
    static final char[] BYTE_CHAR = new char[256];
    private static final Map<Character, Integer> CHAR_BYTE = new HashMap<>();

    static {
        boolean[] printable = new boolean[256];
        for (int b = '!'; b <= '~'; b++) {
            printable[b] = true;
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            printable[b] = true;
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            printable[b] = true;
        }
        int n = 0;
        for (int b = 0; b < 256; b++) {
            BYTE_CHAR[b] = printable[b] ? (char) b : (char) (256 + n++);
            CHAR_BYTE.put(BYTE_CHAR[b], b);
        }
    }

    private final String[] tokens;              // id -> token in the byte alphabet (null for specials)
    private final Map<String, Integer> ids;     // token -> id
    private final List<String[]> merges;        // in rank order
    private final Map<Long, int[]> mergeRank;   // (left id, right id) -> {rank, merged id}
    private final int[] byteId = new int[256];
    private final SpecialTokens specials;
    private final Map<String, int[]> cache = new HashMap<>();

    /**
     * @param vocab every ordinary token (in the byte alphabet) and its id; all 256 single bytes must be there
     * @param merges the merge rules in rank order, each the two tokens joined
     */
    public ByteLevelBpe(Map<String, Integer> vocab, List<String[]> merges, SpecialTokens specials) {
        int size = 0;
        for (int id : vocab.values()) {
            size = Math.max(size, id + 1);
        }
        for (int id : specials.asMap().values()) {
            size = Math.max(size, id + 1);
        }
        this.tokens = new String[size];
        this.ids = new HashMap<>(vocab);
        vocab.forEach((t, id) -> tokens[id] = t);
        for (int b = 0; b < 256; b++) {
            Integer id = vocab.get(String.valueOf(BYTE_CHAR[b]));
            if (id == null) {
                throw new IllegalArgumentException("byte-level BPE vocabulary lacks byte " + b);
            }
            byteId[b] = id;
        }
        this.merges = List.copyOf(merges);
        this.mergeRank = new HashMap<>();
        for (int r = 0; r < merges.size(); r++) {
            String[] m = merges.get(r);
            Integer a = vocab.get(m[0]);
            Integer b = vocab.get(m[1]);
            Integer ab = vocab.get(m[0] + m[1]);
            if (a == null || b == null || ab == null) {
                throw new IllegalArgumentException("merge " + r + " (" + m[0] + " " + m[1] + ") uses a token not in the vocabulary");
            }
            mergeRank.putIfAbsent(pair(a, b), new int[] {r, ab});
        }
        this.specials = specials;
    }

    static long pair(int a, int b) {
        return ((long) a << 32) | (b & 0xffffffffL);
    }

    @Override
    public int[] encode(String text) {
        List<Integer> out = new ArrayList<>();
        specials.split(text, piece -> encodePlain(piece, out), out::add);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private void encodePlain(String text, List<Integer> out) {
        Matcher m = WORDS.matcher(text);
        int end = 0;
        while (m.find()) {
            if (m.start() > end) {
                encodeWord(text.substring(end, m.start()), out);   // never happens with GPT-2's pattern; kept exact anyway
            }
            encodeWord(m.group(), out);
            end = m.end();
        }
        if (end < text.length()) {
            encodeWord(text.substring(end), out);
        }
    }

    private void encodeWord(String word, List<Integer> out) {
        int[] ids = cache.computeIfAbsent(word, this::mergeWord);
        for (int id : ids) {
            out.add(id);
        }
    }

    /** Applies the merges to one word, lowest rank first, as GPT-2's encoder does. */
    private int[] mergeWord(String word) {
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        int[] sym = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            sym[i] = byteId[bytes[i] & 0xff];
        }
        int n = sym.length;
        while (n > 1) {
            int bestRank = Integer.MAX_VALUE;
            int bestAt = -1;
            for (int i = 0; i + 1 < n; i++) {
                int[] r = mergeRank.get(pair(sym[i], sym[i + 1]));
                if (r != null && r[0] < bestRank) {
                    bestRank = r[0];
                    bestAt = i;
                }
            }
            if (bestAt < 0) {
                break;
            }
            int left = sym[bestAt];
            int right = sym[bestAt + 1];
            int merged = mergeRank.get(pair(left, right))[1];
            int w = 0;
            for (int i = 0; i < n; i++) {
                if (i + 1 < n && sym[i] == left && sym[i + 1] == right) {
                    sym[w++] = merged;
                    i++;
                } else {
                    sym[w++] = sym[i];
                }
            }
            n = w;
        }
        return java.util.Arrays.copyOf(sym, n);
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : ids) {
            String special = id >= 0 && id < tokens.length && tokens[id] == null ? specials.token(id) : null;
            if (special != null) {
                bytes.writeBytes(special.getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (id < 0 || id >= tokens.length || tokens[id] == null) {
                throw new IllegalArgumentException("token id " + id + " is not in the vocabulary of " + tokens.length);
            }
            for (char c : tokens[id].toCharArray()) {
                bytes.write(CHAR_BYTE.get(c));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public int vocabSize() {
        return tokens.length;
    }

    @Override
    public SpecialTokens specials() {
        return specials;
    }

    /** The ordinary vocabulary, token -> id. */
    Map<String, Integer> vocab() {
        return ids;
    }

    /** The merges in rank order. */
    List<String[]> merges() {
        return merges;
    }

    @Override
    public void save(Path file) throws IOException {
        TokenizerJson.writeByteLevel(this, file);
    }
}
