package org.rlhf4j.host.filter;

import org.rlhf4j.host.text.Words;

/**
 * What the word splitter ({@link Tokens}) asks of a character, as bits: letter or digit, letter, CJK (a word by
 * itself, {@link Words#isCjk}), word character (a letter or digit, {@code _}, or a non-ASCII non-spacing mark)
 * and space (ASCII up to {@code ' '}, else Java's whitespace or space characters). Looked up in one table for
 * the Basic Multilingual Plane, built once from {@link Character}, instead of four or five property lookups
 * per character.
 */
final class CharClass {

    static final int LETTER_OR_DIGIT = 1;
    static final int LETTER = 2;
    static final int CJK = 4;
    static final int WORD = 8;
    static final int SPACE = 16;

    private static final byte[] BMP = new byte[0x10000];

    static {
        for (int c = 0; c < BMP.length; c++) {
            BMP[c] = (byte) compute(c);
        }
    }

    private CharClass() {
    }

    /** The bits of code point {@code cp}. */
    static int of(int cp) {
        return cp < 0x10000 ? BMP[cp] : compute(cp);
    }

    private static int compute(int cp) {
        boolean ascii = cp < 128;
        boolean letterOrDigit = Character.isLetterOrDigit(cp);
        int bits = 0;
        if (letterOrDigit) {
            bits |= LETTER_OR_DIGIT | WORD;
            if (Character.isLetter(cp)) {
                bits |= LETTER;
            }
            if (!ascii && Words.isCjk(cp)) {
                bits |= CJK;
            }
        }
        if (cp == '_' || !ascii && Character.getType(cp) == Character.NON_SPACING_MARK) {
            bits |= WORD;
        }
        if (ascii ? cp <= ' ' : Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
            bits |= SPACE;
        }
        return bits;
    }
}
