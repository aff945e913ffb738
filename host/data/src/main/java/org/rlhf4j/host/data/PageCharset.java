package org.rlhf4j.host.data;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The charset a web page's label names, read as browsers read it: the WHATWG Encoding Standard
 * (https://encoding.spec.whatwg.org/#names-and-labels) decodes several legacy labels with a wider charset, and
 * pages rely on it. {@code gb2312} pages hold GBK characters ({@code gb2312} and {@code gbk} decode as GB18030),
 * {@code shift_jis} pages hold the Windows extensions (decoded as windows-31j), {@code euc-kr} the Unified Hangul
 * Code (windows-949), {@code big5} the HKSCS characters, and {@code iso-8859-1} or {@code us-ascii} pages are
 * windows-1252. Other labels are looked up as Java names.
 */
final class PageCharset {

    private static final Map<String, String> WIDER = new HashMap<>();

    static {
        wider("GB18030", "chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk", "iso-ir-58", "x-gbk",
                "gb18030");
        wider("windows-31j", "csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j", "x-sjis");
        wider("x-windows-949", "cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987", "ks_c_5601-1989",
                "ksc5601", "ksc_5601", "windows-949");
        wider("Big5-HKSCS", "big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5");
        wider("windows-1252", "ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1", "iso-ir-100",
                "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252", "x-cp1252");
    }

    private PageCharset() {
    }

    private static void wider(String charset, String... labels) {
        for (String label : labels) {
            WIDER.put(label, charset);
        }
    }

    /** The charset {@code label} names (a Content-Type charset parameter or a meta charset), or null if none is known. */
    static Charset forLabel(String label) {
        if (label == null) {
            return null;
        }
        String name = label.strip().replace("\"", "").replace("'", "").toLowerCase(Locale.ROOT);
        if (name.isEmpty()) {
            return null;
        }
        name = WIDER.getOrDefault(name, name);
        try {
            return Charset.isSupported(name) ? Charset.forName(name) : null;
        } catch (IllegalCharsetNameException e) {
            return null;
        }
    }

    /** The wider charset browsers decode {@code charset}'s pages with, or null if they use {@code charset} itself. */
    static Charset widerThan(Charset charset) {
        Charset wide = forLabel(charset.name());
        return wide == null || wide.equals(charset) ? null : wide;
    }
}
