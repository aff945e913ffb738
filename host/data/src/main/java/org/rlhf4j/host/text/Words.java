package org.rlhf4j.host.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Chinese-aware word splitting for the quality rules and dedup: every Han ideograph, kana and CJK
 * symbol-free character is a word by itself (Chinese and Japanese write no spaces, so "characters count
 * as words", as CCNet and the Chinese FineWeb variants do); runs of other letters, digits and
 * connecting marks are words; whitespace separates; each punctuation mark or symbol is a word of its
 * own, so rules can tell symbol words from real ones (datatrove splits the same way).
 */
public final class Words {

    private Words() {
    }

    /** True for a code point written without spaces between words (Han, kana). */
    public static boolean isCjk(int cp) {
        if (cp < 0x3040) {
            return false;
        }
        if (cp >= 0x4E00 && cp <= 0x9FFF || cp <= 0x30FF || cp >= 0x3400 && cp <= 0x4DBF) {
            return true; // the common Han block, hiragana and katakana, extension A
        }
        if (cp >= 0xAC00 && cp <= 0xD7AF) {
            return false; // Hangul syllables
        }
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
                || s == Character.UnicodeScript.KATAKANA;
    }

    /** The words of {@code text}, punctuation and symbols as one-character words. */
    public static List<String> split(String text) {
        List<String> words = new ArrayList<>(Math.max(16, text.length() / 5));
        int start = -1;
        int i = 0;
        int n = text.length();
        while (i < n) {
            int cp = text.codePointAt(i);
            int len = Character.charCount(cp);
            if (isCjk(cp)) {
                if (start >= 0) {
                    words.add(text.substring(start, i));
                    start = -1;
                }
                words.add(text.substring(i, i + len));
            } else if (Character.isLetterOrDigit(cp) || cp == '_' || cp == '\'' && start >= 0
                    || Character.getType(cp) == Character.NON_SPACING_MARK) {
                if (start < 0) {
                    start = i;
                }
            } else {
                if (start >= 0) {
                    words.add(text.substring(start, i));
                    start = -1;
                }
                if (!Character.isWhitespace(cp) && !Character.isSpaceChar(cp)) {
                    words.add(text.substring(i, i + len));
                }
            }
            i += len;
        }
        if (start >= 0) {
            words.add(text.substring(start));
        }
        return words;
    }

    /** The share of CJK characters among the letters of {@code text} (0 for none). */
    public static double cjkShare(String text) {
        int letters = 0;
        int cjk = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (Character.isLetter(cp)) {
                letters++;
                if (isCjk(cp)) {
                    cjk++;
                }
            }
            i += Character.charCount(cp);
        }
        return letters == 0 ? 0 : (double) cjk / letters;
    }
}
