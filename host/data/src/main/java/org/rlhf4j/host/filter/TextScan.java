package org.rlhf4j.host.filter;

/**
 * What the privacy triggers ({@link Detector#trigger}) ask of a text, found in one pass on first use: how
 * many ASCII digits it has, and which pairs of adjacent characters it holds, hashed into 4096 bits. A literal
 * with a pair the text lacks is not in it, so most literal triggers are answered without searching the text.
 * The scan of the last text is kept per thread: the PII and secrets filters look at the same text in turn.
 */
final class TextScan {

    private static final ThreadLocal<TextScan> LAST = new ThreadLocal<>();

    final String text;
    private boolean scanned;
    private int digits;
    /** Where the first and last ASCII digit, '@' and ':' are (-1: none). */
    private int firstDigit = -1;
    private int lastDigit = -1;
    private int firstAt = -1;
    private int lastAt = -1;
    private int firstColon = -1;
    private int lastColon = -1;
    private final long[] pairs = new long[64];

    private TextScan(String text) {
        this.text = text;
    }

    /** The scan of {@code text}, reused when this thread scanned the same string object last. */
    static TextScan of(String text) {
        TextScan s = LAST.get();
        if (s == null || s.text != text) {
            s = new TextScan(text);
            LAST.set(s);
        }
        return s;
    }

    /** The number of ASCII digits. */
    int digits() {
        scan();
        return digits;
    }

    /**
     * The stretch of the text from the first to the last of the characters a detector's matches must hold
     * ({@code [start, end)}, empty when there is none): ASCII digits ({@code c} = '0'), '@' or ':'.
     */
    int[] span(char c) {
        scan();
        int first = c == '0' ? firstDigit : c == '@' ? firstAt : c == ':' ? firstColon : 0;
        int last = c == '0' ? lastDigit : c == '@' ? lastAt : c == ':' ? lastColon : text.length() - 1;
        return first < 0 ? new int[] {0, 0} : new int[] {first, last + 1};
    }

    /** True when the text contains {@code literal}. */
    boolean contains(String literal) {
        scan();
        for (int i = 1; i < literal.length(); i++) {
            int p = pair(literal.charAt(i - 1), literal.charAt(i));
            if ((pairs[p >>> 6] & 1L << p) == 0) {
                return false;
            }
        }
        return text.contains(literal);
    }

    private void scan() {
        if (scanned) {
            return;
        }
        scanned = true;
        String s = text;
        char previous = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
                lastDigit = i;
                firstDigit = firstDigit < 0 ? i : firstDigit;
            } else if (c == '@') {
                lastAt = i;
                firstAt = firstAt < 0 ? i : firstAt;
            } else if (c == ':') {
                lastColon = i;
                firstColon = firstColon < 0 ? i : firstColon;
            }
            int p = pair(previous, c);
            pairs[p >>> 6] |= 1L << p;
            previous = c;
        }
    }

    private static int pair(char a, char b) {
        return (a * 31 + b) & 4095;
    }
}
