package org.rlhf4j.host.filter;

import org.rlhf4j.host.text.TextNormalizer;
import org.rlhf4j.host.text.Words;

/**
 * The words of a text as offsets and hashes, split as {@link Words#split} splits (CJK characters and
 * punctuation marks are words of their own), without creating a string per word. Several filters of a
 * chain judge the same text one after another on one thread, so the last text's tokens are kept per
 * thread and reused when the same string object comes again.
 */
final class Tokens {

    private static final ThreadLocal<Tokens> LAST = new ThreadLocal<>();
    /** Per thread, a buffer the text is copied into: array reads are cheaper than String.charAt in the split loop. */
    private static final ThreadLocal<char[][]> BUFFER = ThreadLocal.withInitial(() -> new char[1][4096]);

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
        int n = text.length();
        char[] s = chars(n);
        // Room for a token per CJK character and one per four other characters, so that Chinese text is not
        // copied into ever larger arrays as it is split.
        int wide = 0;
        for (int j = 0; j < n; j++) {
            wide += s[j] >= 0x2E80 ? 1 : 0;
        }
        int cap = Math.max(16, wide + (n - wide) / 4 + 8);
        start = new int[cap];
        end = new int[cap];
        hash = new long[cap];
        lowerHash = new long[cap];
        flags = new byte[cap];
        int i = 0;
        int wordStart = -1;
        long h = 0;
        long lh = 0;
        byte f = 0;
        while (i < n) {
            char c = s[i];
            int cp = c;
            int len = 1;
            if (Character.isHighSurrogate(c) && i + 1 < n) {
                cp = Character.codePointAt(s, i, n);
                len = Character.charCount(cp);
            }
            int k = CharClass.of(cp);
            if ((k & CharClass.CJK) != 0) {
                if (wordStart >= 0) {
                    add(wordStart, i, h, lh, f);
                    wordStart = -1;
                }
                letters++;
                cjkLetters++;
                long ch = TextNormalizer.mix(cp * 0x9E3779B97F4A7C15L); // token hashes are only compared in memory
                addHashed(i, i + len, ch, ch, (byte) 7);
            } else if ((k & CharClass.WORD) != 0 || cp == '\'' && wordStart >= 0) {
                if (wordStart < 0) {
                    wordStart = i;
                    h = 0xcbf29ce484222325L;
                    lh = h;
                    f = 0;
                }
                h = (h ^ cp) * 0x100000001b3L;
                lh = (lh ^ (cp < 128 ? (cp >= 'A' && cp <= 'Z' ? cp + 32 : cp) : Character.toLowerCase(cp))) * 0x100000001b3L;
                if ((k & CharClass.LETTER_OR_DIGIT) != 0) {
                    f |= 1;
                    if ((k & CharClass.LETTER) != 0) {
                        f |= 2;
                        letters++;
                    }
                }
            } else {
                if (wordStart >= 0) {
                    add(wordStart, i, h, lh, f);
                    wordStart = -1;
                }
                if ((k & CharClass.SPACE) == 0) {
                    long ph = TextNormalizer.mix(cp + 0x51ED27L);
                    addHashed(i, i + len, ph, ph, (byte) 0);
                }
            }
            i += len;
        }
        if (wordStart >= 0) {
            add(wordStart, n, h, lh, f);
        }
    }

    /** This thread's buffer, holding {@code text}'s first {@code n} characters. */
    private char[] chars(int n) {
        char[][] holder = BUFFER.get();
        if (holder[0].length < n) {
            holder[0] = new char[Math.max(n, holder[0].length * 2)];
        }
        text.getChars(0, n, holder[0], 0);
        return holder[0];
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
