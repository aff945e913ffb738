package org.rlhf4j.host.filter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one filter of a chain did: records in, kept, dropped and modified, counts per reason (the part
 * of a reason before its first colon, e.g. {@code gopher-short-doc}) and the first few examples of each.
 * Updated from one thread, in input order, so the examples do not depend on scheduling.
 */
public final class FilterStats {

    static final int EXAMPLES = 3;

    private final String name;
    private long in;
    private long kept;
    private long dropped;
    private long modified;
    private final Map<String, Long> reasons = new TreeMap<>();
    private final Map<String, List<String>> examples = new TreeMap<>();

    FilterStats(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    void keep() {
        in++;
        kept++;
    }

    void drop(String id, String reason) {
        in++;
        dropped++;
        count(id, reason);
    }

    void modify(String id, String reason) {
        in++;
        kept++;
        modified++;
        count(id, reason);
    }

    private void count(String id, String reason) {
        String key = reasonKey(reason);
        reasons.merge(key, 1L, Long::sum);
        List<String> ex = examples.computeIfAbsent(key, k -> new ArrayList<>());
        if (ex.size() < EXAMPLES) {
            ex.add(id + ": " + reason);
        }
    }

    /** The reason's rule name: the text before its first colon. */
    static String reasonKey(String reason) {
        int colon = reason.indexOf(':');
        return colon > 0 ? reason.substring(0, colon) : reason;
    }

    public long in() {
        return in;
    }

    public long kept() {
        return kept;
    }

    public long dropped() {
        return dropped;
    }

    public long modified() {
        return modified;
    }

    public Map<String, Long> reasons() {
        return reasons;
    }

    /** The first examples of each reason ({@code id: reason}), in input order. */
    public Map<String, List<String>> examples() {
        return examples;
    }

    /** Stats with these counts (read back from a shard's file). */
    public static FilterStats of(String name, long in, long kept, long dropped, long modified, Map<String, Long> reasons,
                                 Map<String, List<String>> examples) {
        FilterStats s = new FilterStats(name);
        s.in = in;
        s.kept = kept;
        s.dropped = dropped;
        s.modified = modified;
        s.reasons.putAll(reasons);
        examples.forEach((k, v) -> s.examples.put(k, new ArrayList<>(v.subList(0, Math.min(EXAMPLES, v.size())))));
        return s;
    }

    /**
     * The stats of one filter over consecutive parts of an input, {@code parts} in input order: the counts add up,
     * and each reason keeps its first examples, so the result equals the stats of one run over the whole input.
     */
    public static FilterStats merged(String name, List<FilterStats> parts) {
        FilterStats s = new FilterStats(name);
        for (FilterStats p : parts) {
            s.in += p.in;
            s.kept += p.kept;
            s.dropped += p.dropped;
            s.modified += p.modified;
            p.reasons.forEach((k, v) -> s.reasons.merge(k, v, Long::sum));
            p.examples.forEach((k, v) -> {
                List<String> ex = s.examples.computeIfAbsent(k, x -> new ArrayList<>());
                v.stream().limit(Math.max(0, EXAMPLES - ex.size())).forEach(ex::add);
            });
        }
        return s;
    }

    /** This filter's line of the report. */
    public Map<String, Object> report() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("filter", name);
        r.put("in", in);
        r.put("kept", kept);
        r.put("dropped", dropped);
        r.put("modified", modified);
        r.put("reasons", new LinkedHashMap<>(reasons));
        List<String> ex = new ArrayList<>();
        examples.values().forEach(ex::addAll);
        r.put("examples", ex);
        return r;
    }
}
