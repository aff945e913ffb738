package org.rlhf4j.host.filter;


/**
 * What the quality rules share about punctuation and lines, Chinese-aware: the terminal punctuation of
 * English and Chinese (full-width forms included, 。！？ end sentences), sentence counting, substring counts.
 */
final class QualityText {

    /** Marks that end a sentence or a line in English and Chinese (C4's END_PUNCTUATION plus full-width forms). */
    static final String TERMINAL = ".!?\"'。！？”’」』…)）";

    /** Sentence-ending marks (split points for counting sentences). */
    static final String SENTENCE_END = ".!?。！？";

    private QualityText() {
    }

    static boolean endsWithTerminal(String line) {
        String s = line.stripTrailing();
        return !s.isEmpty() && TERMINAL.indexOf(s.charAt(s.length() - 1)) >= 0;
    }

    static boolean endsWithEllipsis(String line) {
        String s = line.stripTrailing();
        return s.endsWith("...") || s.endsWith("…");
    }

    /** {@link #endsWithTerminal} of {@code s[start, end)}, without copying it. */
    static boolean endsWithTerminal(String s, int start, int end) {
        end = trimmedEnd(s, start, end);
        return end > start && TERMINAL.indexOf(s.charAt(end - 1)) >= 0;
    }

    /** {@link #endsWithEllipsis} of {@code s[start, end)}, without copying it. */
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

    /** Sentences: runs of text ended by one of 。！？.!? followed by a space, a line end or the text's end. */
    static int sentences(CharSequence text) {
        int count = 0;
        boolean content = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (SENTENCE_END.indexOf(c) >= 0) {
                boolean boundary = c >= 0x3000 || i + 1 == text.length() || Character.isWhitespace(text.charAt(i + 1))
                        || "\"'”’」』)）".indexOf(text.charAt(i + 1)) >= 0;
                if (boundary && content) {
                    count++;
                    content = false;
                }
            } else if (Character.isLetterOrDigit(c)) {
                content = true;
            }
        }
        return content ? count + 1 : count;
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
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
