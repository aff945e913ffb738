package org.rlhf4j.host.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataChartsTest {

    private static final String REPORT = """
            {"acquire": {"records": 834, "sources": [{"source": "web-en", "records": 103}, {"source": "web-zh", "records": 84}],
                         "malformed": [{"file": "a.jsonl", "line": 3}]},
             "filter": {"records-in": 834, "records-kept": 764,
                        "filters": [{"filter": "short-text", "in": 834, "kept": 811}, {"filter": "language", "in": 811, "kept": 800}],
                        "languages-kept": {"en": 385, "zh": 375, "(not identified)": 4}, "kinds-kept": {"prompt": 608, "document": 143}},
             "classify": {"categories": {"math": 48, "code": 49, "chat": 49}, "labelled-by": {"trained": 621}},
             "split": {"sft": {"prompts": 86}, "eval": {"prompts": 30}, "unused": 0, "eval-leaks-removed": 38}}
            """;

    @Test
    void aHeadlineLinePerDataStageThatRan() throws Exception {
        JsonNode root = new ObjectMapper().readTree(REPORT);
        assertEquals(List.of("acquire: 834 records from 2 sources, 1 malformed record(s) skipped",
                "filter: 764 of 834 records kept (91.6%) by 2 filters",
                "classify: 3 categories, labelled by trained (621)",
                "split: prompts sft 86, eval 30; 38 near-copies of evaluation prompts removed"), DataCharts.headline(root));
        assertEquals(List.of("acquire: 834 records from 2 sources, 1 malformed record(s) skipped"),
                DataCharts.headline(new ObjectMapper().readTree("{\"acquire\": " + root.get("acquire") + "}")),
                "a stage that has not run gives no line");
    }

    @Test
    void aChartPerDistribution() throws Exception {
        String html = HtmlReport.render("Data report: t", new ObjectMapper().readTree(REPORT));
        for (String title : List.of("Records per source (acquire)", "Records left after each filter, in order (filter)",
                "Languages kept (filter)", "Kinds kept (filter)", "Prompts per category (classify)", "Prompts per set (split)")) {
            assertTrue(html.contains("<title>" + title + "</title>"), "no chart " + title);
        }
        assertEquals(6, html.split("<svg", -1).length - 1);
        assertTrue(html.indexOf("<h2>Distributions</h2>") < html.indexOf("<h2>acquire</h2>"), "charts before the tables");
    }
}
