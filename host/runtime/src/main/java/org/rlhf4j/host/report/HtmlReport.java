package org.rlhf4j.host.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a JSON report as one self-contained HTML page: each top-level section a heading, objects as
 * key/value tables, lists of objects as tables with a column per key, maps of numbers (distributions)
 * as tables with a bar per row; a data report opens with its headline and charts ({@link DataCharts}). No scripts, no external files.
 */
public final class HtmlReport {

    private HtmlReport() {
    }

    static String render(String title, JsonNode root) {
        StringBuilder b = new StringBuilder(head(title)).append(DataCharts.render(root));
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            b.append("<h2>").append(esc(e.getKey())).append("</h2>");
            value(b, e.getValue());
        }
        return b.append(FOOT).toString();
    }

    /** The page up to and including its {@code <h1>} title: the one style sheet of every report. */
    public static String head(String title) {
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + esc(title) + "</title><style>"
                + "body{font-family:'Noto Sans','Noto Sans CJK SC','Noto Sans CJK JP',sans-serif;margin:2em;max-width:1200px}"
                + ".headline{font-size:15px;line-height:1.6;background:#f6fbf8;border:1px solid #cde;padding:.6em 2em}table{border-collapse:collapse;margin:.5em 0}"
                + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top;font-size:13px}"
                + "th{background:#f0f0f0}.bar{background:#4a7;height:10px;display:inline-block}"
                + "h2{border-bottom:2px solid #4a7}</style></head><body><h1>" + esc(title) + "</h1>";
    }

    /** Closes a page begun with {@link #head(String)}. */
    public static final String FOOT = "</body></html>\n";

    /** Renders one JSON value: an object as a key/value table, a list of objects as a table, a number map with bars. */
    public static void value(StringBuilder b, JsonNode n) {
        if (n.isObject()) {
            if (isDistribution(n)) {
                distribution(b, n);
            } else {
                object(b, n);
            }
        } else if (n.isArray()) {
            array(b, n);
        } else {
            b.append(esc(n.asText()));
        }
    }

    private static void object(StringBuilder b, JsonNode n) {
        b.append("<table>");
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            b.append("<tr><th>").append(esc(e.getKey())).append("</th><td>");
            value(b, e.getValue());
            b.append("</td></tr>");
        }
        b.append("</table>");
    }

    private static void array(StringBuilder b, JsonNode n) {
        if (n.isEmpty()) {
            b.append("(none)");
            return;
        }
        boolean objects = true;
        for (JsonNode x : n) {
            objects &= x.isObject();
        }
        if (!objects) {
            List<String> items = new ArrayList<>();
            n.forEach(x -> items.add(x.isValueNode() ? x.asText() : x.toString()));
            b.append("<ul>");
            items.forEach(i -> b.append("<li>").append(esc(i)).append("</li>"));
            b.append("</ul>");
            return;
        }
        Set<String> columns = new LinkedHashSet<>();
        n.forEach(x -> x.fieldNames().forEachRemaining(columns::add));
        b.append("<table><tr>");
        columns.forEach(c -> b.append("<th>").append(esc(c)).append("</th>"));
        b.append("</tr>");
        for (JsonNode x : n) {
            b.append("<tr>");
            for (String c : columns) {
                b.append("<td>");
                if (x.has(c)) {
                    value(b, x.get(c));
                }
                b.append("</td>");
            }
            b.append("</tr>");
        }
        b.append("</table>");
    }

    private static boolean isDistribution(JsonNode n) {
        if (n.size() < 2) {
            return false;
        }
        for (JsonNode v : n) {
            if (!v.isNumber()) {
                return false;
            }
        }
        return true;
    }

    private static void distribution(StringBuilder b, JsonNode n) {
        double max = 0;
        for (JsonNode v : n) {
            max = Math.max(max, v.asDouble());
        }
        b.append("<table>");
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            int width = max <= 0 ? 0 : (int) Math.round(200 * e.getValue().asDouble() / max);
            b.append("<tr><th>").append(esc(e.getKey())).append("</th><td>").append(esc(e.getValue().asText()))
                    .append("</td><td><span class=\"bar\" style=\"width:").append(width).append("px\"></span></td></tr>");
        }
        b.append("</table>");
    }

    public static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
