package org.rlhf4j.host.run;

/**
 * Text from models and data made safe to print on one line: a sampled answer may hold newlines, tabs, escape
 * sequences or other control characters, which would break the log's lines or drive the terminal.
 */
public final class Printable {

    private Printable() {
    }

    /** {@code text} with line breaks shown as {@code ⏎}, other control characters (ESC included) as spaces. */
    public static String oneLine(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                b.append('⏎');
            } else if (c == '\r') {
                continue;
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                b.append(' ');
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
