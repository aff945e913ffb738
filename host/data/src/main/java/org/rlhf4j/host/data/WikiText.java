package org.rlhf4j.host.data;

import java.util.regex.Pattern;

/**
 * Plain text from wikitext, enough for language-model training (the approach of WikiExtractor, much
 * reduced): comments, references, templates and tables removed; {@code [[target|label]]} links become
 * their label; files and categories dropped; bold, italics and heading markers removed.
 */
final class WikiText {

    private static final Pattern COMMENT = Pattern.compile("(?s)<!--.*?-->");
    private static final Pattern REF = Pattern.compile("(?is)<ref[^>/]*/>|<ref[^>]*>.*?</ref>");
    private static final Pattern TAG = Pattern.compile("<[^>]+>");
    private static final Pattern FILE_LINK = Pattern.compile("(?i)\\[\\[(file|image|category|文件|分类):[^\\[\\]]*(\\[\\[[^\\]]*]][^\\[\\]]*)*]]");
    private static final Pattern LINK = Pattern.compile("\\[\\[(?:[^\\]|]*\\|)?([^\\]]*)]]");
    private static final Pattern EXTERNAL = Pattern.compile("\\[https?://\\S+\\s?([^\\]]*)]");
    private static final Pattern EMPHASIS = Pattern.compile("'{2,5}");
    private static final Pattern HEADING = Pattern.compile("(?m)^=+\\s*(.*?)\\s*=+\\s*$");
    private static final Pattern BLANKS = Pattern.compile("\\n{3,}");

    private WikiText() {
    }

    static String of(String wikitext) {
        String s = COMMENT.matcher(wikitext).replaceAll("");
        s = REF.matcher(s).replaceAll("");
        s = removeNested(s, "{{", "}}");
        s = removeNested(s, "{|", "|}");
        s = FILE_LINK.matcher(s).replaceAll("");
        s = LINK.matcher(s).replaceAll("$1");
        s = EXTERNAL.matcher(s).replaceAll("$1");
        s = TAG.matcher(s).replaceAll("");
        s = EMPHASIS.matcher(s).replaceAll("");
        s = HEADING.matcher(s).replaceAll("$1");
        return BLANKS.matcher(s).replaceAll("\n\n").strip();
    }

    /** Removes balanced {@code open ... close} spans, nested ones included. */
    private static String removeNested(String s, String open, String close) {
        StringBuilder out = new StringBuilder(s.length());
        int depth = 0;
        int i = 0;
        while (i < s.length()) {
            if (s.startsWith(open, i)) {
                depth++;
                i += open.length();
            } else if (depth > 0 && s.startsWith(close, i)) {
                depth--;
                i += close.length();
            } else {
                if (depth == 0) {
                    out.append(s.charAt(i));
                }
                i++;
            }
        }
        return out.toString();
    }
}
