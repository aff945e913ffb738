package org.rlhf4j.host.data;

import java.util.regex.Pattern;

/**
 * The visible text of an HTML page, roughly as a WET conversion gives it: scripts, styles and comments
 * removed, block elements turned into line breaks, tags dropped, the common entities decoded. Not a
 * boilerplate remover: the quality filters' line rules deal with menus and footers.
 */
final class HtmlText {

    private static final Pattern INVISIBLE = Pattern.compile("(?is)<(script|style|noscript|head)\\b.*?</\\1\\s*>|<!--.*?-->");
    private static final Pattern BLOCK = Pattern.compile("(?i)<\\s*/?\\s*(p|div|br|li|h[1-6]|tr|title|section|article|ul|ol|table|blockquote|pre)\\b[^>]*>");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern SPACES = Pattern.compile("[ \\t\\x0B\\f\\u00A0]+");
    private static final Pattern BLANK_LINES = Pattern.compile("\\s*\\n\\s*");

    private HtmlText() {
    }

    static String of(String html) {
        String s = INVISIBLE.matcher(html).replaceAll(" ");
        s = BLOCK.matcher(s).replaceAll("\n");
        s = TAG.matcher(s).replaceAll("");
        s = s.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&apos;", "'").replace("&amp;", "&");
        s = SPACES.matcher(s).replaceAll(" ");
        return BLANK_LINES.matcher(s).replaceAll("\n").strip();
    }
}
