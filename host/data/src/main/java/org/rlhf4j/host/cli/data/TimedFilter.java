package org.rlhf4j.host.cli.data;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordFilter;

/**
 * A filter that measures the wall time its delegate spends deciding, for the per-filter shares that
 * {@code rlhf bench data} prints. Only for filters without an index (the bench times dedup separately).
 */
final class TimedFilter implements RecordFilter {

    private final String name;
    private final RecordFilter delegate;
    private final LongAdder nanos = new LongAdder();

    TimedFilter(String name, RecordFilter delegate) {
        this.name = name;
        this.delegate = delegate;
    }

    @Override
    public FilterDecision apply(Record record) {
        long t = System.nanoTime();
        try {
            return delegate.apply(record);
        } finally {
            nanos.add(System.nanoTime() - t);
        }
    }

    /** One line: each filter's share of the time all of them took, and the total in microseconds per document. */
    static String shares(List<TimedFilter> filters, long docs) {
        long total = 0;
        for (TimedFilter f : filters) {
            total += f.nanos.sum();
        }
        StringBuilder b = new StringBuilder("    time in filters:");
        for (TimedFilter f : filters) {
            b.append(String.format(" %s %.0f%%", f.name, 100.0 * f.nanos.sum() / Math.max(1, total)));
        }
        return b.append(String.format("  (%.1f µs per document in filters)", total / 1e3 / Math.max(1, docs))).toString();
    }
}
