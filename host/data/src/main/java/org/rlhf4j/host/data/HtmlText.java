package org.rlhf4j.host.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;

/**
 * The visible text of an HTML page, roughly as a WET conversion gives it. jsoup decodes and parses the bytes as
 * the HTML standard says (https://html.spec.whatwg.org/multipage/parsing.html): the charset comes from a byte
 * order mark, else the HTTP header's, else the page's {@code <meta charset>} or {@code http-equiv} Content-Type
 * (within its first 5 KB), else UTF-8; legacy labels are widened as browsers do ({@link PageCharset}); every
 * character reference, named or numeric, is decoded. The head, scripts, styles, templates and comments are
 * dropped; each block element (paragraphs, headings, list items, table cells and rows, divisions) and each
 * {@code <br>} ends a line; whitespace runs become one space except in {@code <pre>} and {@code <textarea>};
 * blank lines are removed. Not a boilerplate remover: the quality filters' line rules deal with menus and
 * footers.
 */
final class HtmlText {

    private static final Set<String> INVISIBLE = Set.of("head", "script", "style", "noscript", "template");
    private static final Pattern SPACES = Pattern.compile("[ \\t\\x0B\\f\\u00A0]+");
    private static final Pattern BLANK_LINES = Pattern.compile("\\s*\\n\\s*");

    private HtmlText() {
    }

    /**
     * The text of an HTML page given as bytes. {@code declared} is the charset of the HTTP Content-Type header
     * (null when it names none or one Java does not know): it wins over the page's own declaration.
     */
    static String of(byte[] html, Charset declared) {
        Document doc = parse(html, declared);
        String text = text(doc);
        if (declared == null && text.indexOf('\uFFFD') >= 0) {
            // The page declared a legacy charset (say gb2312) and holds characters of its superset (GBK): decode it
            // again with the charset browsers use for that label.
            Charset wider = PageCharset.widerThan(doc.charset());
            if (wider != null) {
                text = text(parse(html, wider));
            }
        }
        return text;
    }

    private static Document parse(byte[] html, Charset charset) {
        try {
            return Jsoup.parse(new ByteArrayInputStream(html), charset == null ? null : charset.name(), "");
        } catch (IOException e) {
            throw new UncheckedIOException("reading an in-memory page cannot fail", e);
        }
    }

    private static String text(Document doc) {
        Lines lines = new Lines();
        lines.traverse(doc);
        String s = SPACES.matcher(lines.out).replaceAll(" ");
        return BLANK_LINES.matcher(s).replaceAll("\n").strip();
    }

    /** Walks the document, writing its visible text with a line break around each block element. */
    private static final class Lines implements NodeFilter {
        final StringBuilder out = new StringBuilder(4096);
        private int preformatted;

        @Override
        public FilterResult head(Node node, int depth) {
            if (node instanceof TextNode t) {
                if (preformatted > 0) {
                    out.append(t.getWholeText());
                } else {
                    appendCollapsed(t.getWholeText());
                }
            } else if (node instanceof Element e) {
                if (INVISIBLE.contains(e.normalName())) {
                    return FilterResult.SKIP_ENTIRELY;
                }
                if (e.tag().preserveWhitespace()) {
                    preformatted++;
                }
                if (e.isBlock() || e.nameIs("br")) {
                    out.append('\n');
                }
            }
            return FilterResult.CONTINUE;
        }

        @Override
        public FilterResult tail(Node node, int depth) {
            if (node instanceof Element e) {
                if (e.tag().preserveWhitespace()) {
                    preformatted--;
                }
                if (e.isBlock()) {
                    out.append('\n');
                }
            }
            return FilterResult.CONTINUE;
        }

        /** Source line breaks and indentation inside a paragraph are spaces, as a browser renders them. */
        private void appendCollapsed(String s) {
            boolean space = false;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f') {
                    space = true;
                } else {
                    if (space) {
                        out.append(' ');
                        space = false;
                    }
                    out.append(c);
                }
            }
            if (space) {
                out.append(' ');
            }
        }
    }
}
