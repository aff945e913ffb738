package org.rlhf4j.host.text;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Text normalisation for dedup keys and rules. {@link #forDedup} follows datatrove's
 * {@code simplify_text}: Unicode NFKC (full-width letters, digits and punctuation become their ASCII
 * forms), lower case, punctuation removed, digits folded to 0, whitespace collapsed; so copies that differ
 * only in case, spacing, punctuation or numbers hash alike (so a Chinese copy with ASCII commas matches one
 * with full-width ones). The quality rules instead accept both forms of terminal punctuation.
 */
public final class TextNormalizer {

    private TextNormalizer() {
    }

    /** The dedup form of {@code text}. */
    public static String forDedup(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder(s.length());
        boolean space = true;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp) || isPunctuation(cp)) {
                if (!space) {
                    b.append(' ');
                    space = true;
                }
                continue;
            }
            b.appendCodePoint(Character.isDigit(cp) ? '0' : cp);
            space = false;
        }
        int end = b.length();
        if (end > 0 && b.charAt(end - 1) == ' ') {
            b.setLength(end - 1);
        }
        return b.toString();
    }

    static boolean isPunctuation(int cp) {
        int t = Character.getType(cp);
        return t == Character.CONNECTOR_PUNCTUATION || t == Character.DASH_PUNCTUATION || t == Character.START_PUNCTUATION
                || t == Character.END_PUNCTUATION || t == Character.INITIAL_QUOTE_PUNCTUATION
                || t == Character.FINAL_QUOTE_PUNCTUATION || t == Character.OTHER_PUNCTUATION
                || t == Character.MATH_SYMBOL || t == Character.CURRENCY_SYMBOL || t == Character.MODIFIER_SYMBOL
                || t == Character.OTHER_SYMBOL;
    }

    /** A 64-bit hash of a string (FNV-1a over chars, finished with MurmurHash3's fmix64). */
    public static long hash64(CharSequence s) {
        return hash64(s, 0, s.length());
    }

    /** {@link #hash64(CharSequence)} of {@code s[from, to)}. */
    public static long hash64(CharSequence s, int from, int to) {
        long h = 0xcbf29ce484222325L;
        for (int i = from; i < to; i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return mix(h);
    }

    /** MurmurHash3's 64-bit finaliser: a bijective mix of all bits. */
    public static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
