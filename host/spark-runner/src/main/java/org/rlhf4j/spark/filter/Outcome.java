package org.rlhf4j.spark.filter;

import java.io.Serializable;
import java.util.List;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.host.records.RecordJsonl;
import org.rlhf4j.host.filter.FilterChain;

/**
 * What one segment of the chain did with one record, as {@code FilterChain} decides and counts it: the line it
 * leaves (the record as the last filter left it, or the input record with {@code meta.rejected-by} and
 * {@code meta.reject-reason}), the step that dropped it, and which steps it passed, modified or not.
 *
 * @param idx         the record's position in the chain's input (0-based line number)
 * @param line        the survivor's line, or the rejected record's line
 * @param id          the record's id (for the report's examples)
 * @param droppedAt   the dropping step, or -1
 * @param reason      the drop reason, or null
 * @param passed      the steps of the segment that applied to the input record and kept it (modified or not)
 * @param modifications per passed step, its modification reason or null
 */
record Outcome(long idx, String line, String id, int droppedAt, String reason, int[] passed, String[] modifications)
        implements Serializable {

    boolean kept() {
        return droppedAt < 0;
    }

    /** True when step {@code s} applies to {@code r} (FilterChain's rule: its kinds, not its skipped formats). */
    static boolean applies(FilterChain.Step s, Record r) {
        return s.kinds().contains(r.kind()) && !s.skipFormats().contains(r.meta().getOrDefault("format", ""));
    }

    /** Runs steps {@code from} to {@code to} (exclusive) of {@code steps} over {@code r}, as FilterChain does. */
    static Outcome of(long idx, Record r, List<FilterChain.Step> steps, int from, int to) {
        Record current = r;
        String[] mods = new String[to - from];
        int droppedAt = -1;
        String reason = null;
        for (int i = from; i < to && droppedAt < 0; i++) {
            FilterChain.Step step = steps.get(i);
            if (!applies(step, current)) {
                continue;
            }
            FilterDecision d = step.filter().apply(current);
            switch (d.action()) {
                case DROP -> {
                    droppedAt = i;
                    reason = d.reason();
                }
                case MODIFY -> {
                    mods[i - from] = d.reason();
                    current = d.record();
                }
                case KEEP -> current = d.record();
            }
        }
        // The counts follow FilterChain: every step before the end that applies to the input record passed it.
        int end = droppedAt >= 0 ? droppedAt : to;
        int[] passed = new int[end - from];
        String[] passedMods = new String[end - from];
        int n = 0;
        for (int i = from; i < end; i++) {
            if (applies(steps.get(i), r)) {
                passed[n] = i;
                passedMods[n++] = mods[i - from];
            }
        }
        String line = droppedAt >= 0
                ? RecordJsonl.toLine(r.withMeta("rejected-by", steps.get(droppedAt).name()).withMeta("reject-reason", reason))
                : RecordJsonl.toLine(current);
        return new Outcome(idx, line, r.id(), droppedAt, reason, java.util.Arrays.copyOf(passed, n),
                java.util.Arrays.copyOf(passedMods, n));
    }
}
