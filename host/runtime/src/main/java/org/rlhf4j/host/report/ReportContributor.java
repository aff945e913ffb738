package org.rlhf4j.host.report;

import java.util.Map;

/**
 * A filter or stage part that has more to say in the data report than kept/dropped counts: dedup
 * clusters, a classifier's held-out precision and recall, a language distribution. Values are numbers,
 * strings, booleans, lists and maps of those (written as JSON, rendered as tables in HTML).
 */
public interface ReportContributor {

    /** This part's section of the report; called once, after the work is done. */
    Map<String, Object> report();
}
