package org.rlhf4j.host.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The top of the data report's page ({@link DataReport}): a headline of what the data stages did (records
 * acquired, kept, categories, prompts per set) and a bar chart of each distribution the sections list: records
 * per source, records left after each filter, languages and kinds kept, prompts per category, prompts per set.
 * A section that is not there yet (its stage has not run) gives no line and no chart.
 */
final class DataCharts {

    private DataCharts() {
    }

    /** The headline list and the charts, as HTML. */
    static String render(JsonNode root) {
        StringBuilder b = new StringBuilder();
        List<String> lines = headline(root);
        if (!lines.isEmpty()) {
            b.append("<ul class=\"headline\">");
            lines.forEach(l -> b.append("<li>").append(HtmlReport.esc(l)).append("</li>"));
            b.append("</ul>");
        }
        List<String> charts = new ArrayList<>();
        JsonNode acquire = root.path("acquire");
        charts.add(bars("Records per source (acquire)", "records", rows(acquire.path("sources"), "source", "records")));
        JsonNode filter = root.path("filter");
        charts.add(bars("Records left after each filter, in order (filter)", "records", rows(filter.path("filters"), "filter", "kept")));
        charts.add(bars("Languages kept (filter)", "records", numbers(filter.path("languages-kept"))));
        charts.add(bars("Kinds kept (filter)", "records", numbers(filter.path("kinds-kept"))));
        charts.add(bars("Prompts per category (classify)", "prompts", numbers(root.path("classify").path("categories"))));
        Map<String, Double> sets = new LinkedHashMap<>();
        root.path("split").fields().forEachRemaining(f -> {
            if (f.getValue().path("prompts").isNumber()) {
                sets.put(f.getKey(), f.getValue().path("prompts").asDouble());
            }
        });
        charts.add(bars("Prompts per set (split)", "prompts", sets));
        charts.removeIf(String::isEmpty);
        if (!charts.isEmpty()) {
            b.append("<h2>Distributions</h2><div class=\"charts\">");
            charts.forEach(b::append);
            b.append("</div>");
        }
        return b.toString();
    }

    /** One line per data stage that has run. */
    static List<String> headline(JsonNode root) {
        List<String> out = new ArrayList<>();
        for (String stage : List.of("acquire", "filter", "classify", "split")) {
            String summary = summary(stage, root.path(stage));
            if (summary != null) {
                out.add(stage + ": " + summary);
            }
        }
        return out;
    }

    /** What a data stage did, from its section of the report; null when the section is absent or not a data stage's. */
    static String summary(String stage, JsonNode section) {
        if (!section.isObject()) {
            return null;
        }
        switch (stage) {
            case "acquire" -> {
                return section.path("records").asLong() + " records from " + section.path("sources").size() + " sources, "
                        + section.path("malformed").size() + " malformed record(s) skipped";
            }
            case "filter" -> {
                long in = section.path("records-in").asLong();
                long kept = section.path("records-kept").asLong();
                return kept + " of " + in + " records kept (" + SvgChart.number(in == 0 ? 0 : Math.round(1000.0 * kept / in) / 10.0)
                        + "%) by " + section.path("filters").size() + " filters";
            }
            case "classify" -> {
                return section.path("categories").size() + " categories, labelled by "
                        + String.join(", ", fieldNames(section.path("labelled-by")));
            }
            case "split" -> {
                List<String> sets = new ArrayList<>();
                section.fields().forEachRemaining(e -> {
                    if (e.getValue().path("prompts").isNumber()) {
                        sets.add(e.getKey() + " " + e.getValue().path("prompts").asLong());
                    }
                });
                return "prompts " + String.join(", ", sets) + "; " + section.path("eval-leaks-removed").asLong()
                        + " near-copies of evaluation prompts removed";
            }
            default -> {
                return null;
            }
        }
    }

    private static String bars(String title, String valueLabel, Map<String, Double> values) {
        return values.size() < 2 ? "" : SvgChart.bars(title, valueLabel, values);
    }

    /** {@code label -> value} of each object in a list (the sources, the filters). */
    private static Map<String, Double> rows(JsonNode list, String label, String value) {
        Map<String, Double> out = new LinkedHashMap<>();
        list.forEach(n -> {
            if (n.path(value).isNumber()) {
                out.put(n.path(label).asText(), n.path(value).asDouble());
            }
        });
        return out;
    }

    /** The numeric entries of an object (a distribution). */
    private static Map<String, Double> numbers(JsonNode object) {
        Map<String, Double> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> {
            if (e.getValue().isNumber()) {
                out.put(e.getKey(), e.getValue().asDouble());
            }
        });
        return out;
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fields().forEachRemaining(e -> out.add(e.getKey() + " (" + e.getValue().asText() + ")"));
        return out;
    }
}
