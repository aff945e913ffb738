package org.rlhf4j.host.filter;


/**
 * What the quality rules share about punctuation and lines, Chinese-aware: the terminal punctuation of
 * English and Chinese (full-width forms included, 。！？ end sentences), sentence counting, line ends checked in place.
 */
final class QualityText {

    /** Marks that end a sentence or a line in English and Chinese (C4's END_PUNCTUATION plus full-width forms). */
    static final String TERMINAL = ".!?\"'。！？”’」』…)）";

    /** Sentence-ending marks (split points for counting sentences). */
    static final String SENTENCE_END = ".!?。！？";

    private QualityText() {
    }

    /** True when {@code s[start, end)}, trailing whitespace aside, ends in one of {@link #TERMINAL}. */
    static boolean endsWithTerminal(String s, int start, int end) {
        end = trimmedEnd(s, start, end);
        return end > start && TERMINAL.indexOf(s.charAt(end - 1)) >= 0;
    }

    /** True when {@code s[start, end)}, trailing whitespace aside, ends in "..." or "…". */
    static boolean endsWithEllipsis(String s, int start, int end) {
        end = trimmedEnd(s, start, end);
        return end > start && s.charAt(end - 1) == '…' || end - start >= 3 && s.startsWith("...", end - 3);
    }

    /** The end of {@code s[start, end)} without trailing whitespace (as {@link String#stripTrailing}). */
    private static int trimmedEnd(String s, int start, int end) {
        while (end > start && Character.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    /**
     * Sentences of lines joined by line feeds, counted line by line without joining them: runs of text ended by
     * one of 。！？.!? followed by a space, a line end or the text's end (a line's end is followed by a line feed
     * or the text's end, a sentence boundary either way).
     */
    static final class Sentences {
        private int count;
        private boolean content;

        void line(String s, int start, int end) {
            for (int i = start; i < end; i++) {
                char c = s.charAt(i);
                if (isSentenceEnd(c)) {
                    boolean boundary = c >= 0x3000 || i + 1 == end || Character.isWhitespace(s.charAt(i + 1))
                            || "\"'”’」』)）".indexOf(s.charAt(i + 1)) >= 0;
                    if (boundary && content) {
                        count++;
                        content = false;
                    }
                } else if (!content && Character.isLetterOrDigit(c)) {
                    content = true;
                }
            }
        }

        int count() {
            return content ? count + 1 : count;
        }
    }

    /** One of {@link #SENTENCE_END}. */
    private static boolean isSentenceEnd(char c) {
        return c < 0x80 ? c == '.' || c == '!' || c == '?' : c == '。' || c == '！' || c == '？';
    }

    static boolean containsAny(String lowerText, java.util.Collection<String> needles) {
        for (String s : needles) {
            if (lowerText.contains(s)) {
                return true;
            }
        }
        return false;
    }
}
