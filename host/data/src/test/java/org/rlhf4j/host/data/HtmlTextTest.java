package org.rlhf4j.host.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HtmlTextTest {

    @Test
    void blocksEndLinesInvisibleElementsGoAndSourceWrapsJoin() {
        String html = "<html><head><title>t</title><style>p{color:red}</style></head><body><nav>Home | About</nav>"
                + "<p>A paragraph\n      wrapped in the source.</p><!-- a comment --><ul><li>one</li><li>two<br>three</li></ul>"
                + "<table><tr><td>a</td><td>b</td></tr></table><pre>x\n  y</pre><script>var s = '<p>no</p>';</script>"
                + "<noscript>enable JS</noscript><span>in</span><b>line</b> &amp; &copy;&#169;&#xA9;</body></html>";
        assertEquals("Home | About\nA paragraph wrapped in the source.\none\ntwo\nthree\na\nb\nx\ny\ninline & ©©©",
                HtmlText.of(html.getBytes(StandardCharsets.UTF_8), null));
    }

    @Test
    void theHttpCharsetWinsOverThePagesOwnAndABomOverBoth() {
        byte[] latin = "<meta charset=\"utf-8\"><p>caf\u00e9</p>".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("caf\u00e9", HtmlText.of(latin, PageCharset.forLabel("iso-8859-1")));
        byte[] bom = WarcSourceTest.concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "<p>中文</p>".getBytes(StandardCharsets.UTF_8));
        assertEquals("中文", HtmlText.of(bom, PageCharset.forLabel("gbk")));
    }

    @Test
    void legacyLabelsWidenAsInTheEncodingStandard() {
        assertEquals("GB18030", PageCharset.forLabel("GB2312").name());
        assertEquals("windows-31j", PageCharset.forLabel("\"Shift_JIS\"").name());
        assertEquals("windows-1252", PageCharset.forLabel("ISO-8859-1").name());
        assertEquals("UTF-8", PageCharset.forLabel("utf-8").name());
        assertEquals(null, PageCharset.forLabel("no-such-charset"));
        assertEquals(null, PageCharset.forLabel("bad name!"));
    }
}
