package org.rlhf4j.host.filter;

import org.rlhf4j.host.text.RecordText;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.host.report.ReportContributor;

/**
 * What the privacy filters share: find spans with a list of {@link Detector}s in every text of a record,
 * then redact them with their tags ({@code action = redact}) or drop the record ({@code action = drop}),
 * counting what was found by detector for the report.
 */
abstract class RedactingFilter implements ReportContributor {

    private final String name;
    private final List<Detector> detectors;
    private final boolean drop;
    private final Map<String, LongAdder> found = new ConcurrentHashMap<>();

    RedactingFilter(String name, List<Detector> detectors, boolean drop) {
        this.name = name;
        this.detectors = detectors;
        this.drop = drop;
    }

    /** Applies the detectors to the record. */
    public final FilterDecision decide(Record record) {
        Map<String, Integer> kinds = new TreeMap<>();
        Record rewritten = RecordText.map(record, text -> {
            List<Detector.Span> spans = Detector.find(text, detectors);
            for (Detector.Span s : spans) {
                kinds.merge(s.detector().name(), 1, Integer::sum);
            }
            return Detector.redact(text, spans);
        });
        if (kinds.isEmpty()) {
            return FilterDecision.keep(record);
        }
        kinds.forEach((k, v) -> found.computeIfAbsent(k, x -> new LongAdder()).add(v));
        String what = kinds.toString().replaceAll("[{}]", "");
        return drop ? FilterDecision.drop(record, name + ": found " + what)
                : FilterDecision.modify(rewritten, name + "-redacted: " + what);
    }

    @Override
    public Map<String, Object> report() {
        Map<String, Object> r = new TreeMap<>();
        found.forEach((k, v) -> r.put(k, v.sum()));
        return Map.of("action", drop ? "drop" : "redact", "found", r);
    }
}
