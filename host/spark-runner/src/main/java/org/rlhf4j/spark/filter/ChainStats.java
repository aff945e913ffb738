package org.rlhf4j.spark.filter;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-filter counts of a chain run on Spark, built from {@link Outcome}s in any order and merged across
 * partitions: in, kept, dropped and modified, counts per reason key (the text before the first colon) and
 * the first three examples of each reason in input order, so the report's filter lines equal the
 * in-process runner's ({@code FilterStats}).
 */
final class ChainStats implements Serializable {

    static final int EXAMPLES = 3;

    private final long[] in;
    private final long[] kept;
    private final long[] dropped;
    private final long[] modified;
    private final List<TreeMap<String, Long>> reasons = new ArrayList<>();
    /** Per step and reason key: input position to example text, at most {@link #EXAMPLES} smallest positions. */
    private final List<TreeMap<String, TreeMap<Long, String>>> examples = new ArrayList<>();

    ChainStats(int steps) {
        in = new long[steps];
        kept = new long[steps];
        dropped = new long[steps];
        modified = new long[steps];
        for (int i = 0; i < steps; i++) {
            reasons.add(new TreeMap<>());
            examples.add(new TreeMap<>());
        }
    }

    ChainStats add(Outcome o) {
        for (int k = 0; k < o.passed().length; k++) {
            int s = o.passed()[k];
            in[s]++;
            kept[s]++;
            if (o.modifications()[k] != null) {
                modified[s]++;
                count(s, o.idx(), o.id(), o.modifications()[k]);
            }
        }
        if (!o.kept()) {
            in[o.droppedAt()]++;
            dropped[o.droppedAt()]++;
            count(o.droppedAt(), o.idx(), o.id(), o.reason());
        }
        return this;
    }

    private void count(int step, long idx, String id, String reason) {
        String key = reasonKey(reason);
        reasons.get(step).merge(key, 1L, Long::sum);
        TreeMap<Long, String> ex = examples.get(step).computeIfAbsent(key, k -> new TreeMap<>());
        ex.put(idx, id + ": " + reason);
        if (ex.size() > EXAMPLES) {
            ex.pollLastEntry();
        }
    }

    ChainStats merge(ChainStats other) {
        for (int s = 0; s < in.length; s++) {
            in[s] += other.in[s];
            kept[s] += other.kept[s];
            dropped[s] += other.dropped[s];
            modified[s] += other.modified[s];
            TreeMap<String, Long> mine = reasons.get(s);
            other.reasons.get(s).forEach((k, v) -> mine.merge(k, v, Long::sum));
            for (Map.Entry<String, TreeMap<Long, String>> e : other.examples.get(s).entrySet()) {
                TreeMap<Long, String> ex = examples.get(s).computeIfAbsent(e.getKey(), k -> new TreeMap<>());
                ex.putAll(e.getValue());
                while (ex.size() > EXAMPLES) {
                    ex.pollLastEntry();
                }
            }
        }
        return this;
    }

    /** The reason's rule name: the text before its first colon. */
    static String reasonKey(String reason) {
        int colon = reason.indexOf(':');
        return colon > 0 ? reason.substring(0, colon) : reason;
    }

    long in(int step) {
        return in[step];
    }

    /** Step {@code s}'s line of the report, as {@code FilterStats.report()} writes it. */
    Map<String, Object> report(int s, String name) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("filter", name);
        r.put("in", in[s]);
        r.put("kept", kept[s]);
        r.put("dropped", dropped[s]);
        r.put("modified", modified[s]);
        r.put("reasons", new LinkedHashMap<>(reasons.get(s)));
        List<String> ex = new ArrayList<>();
        examples.get(s).values().forEach(m -> ex.addAll(m.values()));
        r.put("examples", ex);
        return r;
    }
}
