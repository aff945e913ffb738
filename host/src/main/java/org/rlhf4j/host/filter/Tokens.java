package org.rlhf4j.host.filter;

/**
 * The words of a text as offsets and hashes, split as {@link Words#split} splits (CJK characters and
 * punctuation marks are words of their own), without creating a string per word. Several filters of a
 * chain judge the same text one after another on one thread, so the last text's tokens are kept per
 * thread and reused when the same string object comes again.
 */
final class Tokens {

    private static final ThreadLocal<Tokens> LAST = new ThreadLocal<>();

    final String text;
    int count;
    int[] start;
    int[] end;
    /** Hash of the word as written. */
    long[] hash;
    /** Hash of the word in lower case. */
    long[] lowerHash;
    /** Bit 0: holds a letter or digit; bit 1: holds a letter; bit 2: a CJK character. */
    byte[] flags;
    /** Letters in the text, and how many are CJK. */
    int letters;
    int cjkLetters;

    private Tokens(String text) {
        this.text = text;
        int cap = Math.max(16, text.length() / 4);
        start = new int[cap];
        end = new int[cap];
        hash = new long[cap];
        lowerHash = new long[cap];
        flags = new byte[cap];
        split();
    }

    /** The tokens of {@code text}, reused when this thread tokenised the same string object last. */
    static Tokens of(String text) {
        Tokens t = LAST.get();
        if (t != null && t.text == text) {
            return t;
        }
        t = new Tokens(text);
        LAST.set(t);
        return t;
    }

    /** Tokens of a short text (a line), not cached. */
    static Tokens uncached(String text) {
        return new Tokens(text);
    }

    boolean isWord(int i) {
        return (flags[i] & 1) != 0;
    }

    boolean hasLetter(int i) {
        return (flags[i] & 2) != 0;
    }

    boolean isCjk(int i) {
        return (flags[i] & 4) != 0;
    }

    int length(int i) {
        return end[i] - start[i];
    }

    double cjkShare() {
        return letters == 0 ? 0 : (double) cjkLetters / letters;
    }

    private void split() {
        String s = text;
        int n = s.length();
        int i = 0;
        int wordStart = -1;
        long h = 0;
        long lh = 0;
        byte f = 0;
        while (i < n) {
            char c = s.charAt(i);
            int cp = c;
            int len = 1;
            if (Character.isHighSurrogate(c) && i + 1 < n) {
                cp = s.codePointAt(i);
                len = Character.charCount(cp);
            }
            boolean ascii = cp < 128;
            boolean letterOrDigit = ascii ? (cp >= 'a' && cp <= 'z' || cp >= 'A' && cp <= 'Z' || cp >= '0' && cp <= '9')
                    : Character.isLetterOrDigit(cp);
            if (!ascii && letterOrDigit && Words.isCjk(cp)) {
                if (wordStart >= 0) {
                    add(wordStart, i, h, lh, f);
                    wordStart = -1;
                }
                letters++;
                cjkLetters++;
                long ch = TextNormalizer.mix(TextNormalizer.mix(cp * 0x9E3779B97F4A7C15L));
                addHashed(i, i + len, ch, ch, (byte) 7);
            } else if (letterOrDigit || cp == '_' || cp == '\'' && wordStart >= 0
                    || !ascii && Character.getType(cp) == Character.NON_SPACING_MARK) {
                if (wordStart < 0) {
                    wordStart = i;
                    h = 0xcbf29ce484222325L;
                    lh = h;
                    f = 0;
                }
                h = (h ^ cp) * 0x100000001b3L;
                lh = (lh ^ (ascii ? (cp >= 'A' && cp <= 'Z' ? cp + 32 : cp) : Character.toLowerCase(cp))) * 0x100000001b3L;
                if (letterOrDigit) {
                    f |= 1;
                    boolean letter = ascii ? cp > '9' : Character.isLetter(cp);
                    if (letter) {
                        f |= 2;
                        letters++;
                    }
                }
            } else {
                if (wordStart >= 0) {
                    add(wordStart, i, h, lh, f);
                    wordStart = -1;
                }
                if (!(ascii ? cp <= ' ' : Character.isWhitespace(cp) || Character.isSpaceChar(cp))) {
                    long ph = TextNormalizer.mix(TextNormalizer.mix(cp + 0x51ED27L));
                    addHashed(i, i + len, ph, ph, (byte) 0);
                }
            }
            i += len;
        }
        if (wordStart >= 0) {
            add(wordStart, n, h, lh, f);
        }
    }

    private void add(int s, int e, long h, long lh, byte f) {
        addHashed(s, e, TextNormalizer.mix(h), TextNormalizer.mix(lh), f);
    }

    /** Adds a token whose hashes are final (already mixed). */
    private void addHashed(int s, int e, long h, long lh, byte f) {
        if (count == start.length) {
            int cap = count * 2;
            start = java.util.Arrays.copyOf(start, cap);
            end = java.util.Arrays.copyOf(end, cap);
            hash = java.util.Arrays.copyOf(hash, cap);
            lowerHash = java.util.Arrays.copyOf(lowerHash, cap);
            flags = java.util.Arrays.copyOf(flags, cap);
        }
        start[count] = s;
        end[count] = e;
        hash[count] = h;
        lowerHash[count] = lh;
        flags[count] = f;
        count++;
    }
}
