package org.rlhf4j.api.data;

import org.pf4j.ExtensionPoint;

/**
 * Keeps, drops (with a reason) or rewrites one record: dedup, quality rules, language, privacy ...
 *
 * <p>A filter is a plain function of a record, plus, for filters that look across the corpus (dedup),
 * an index built in a first pass, so the same filter runs unchanged in-process or on a cluster.
 * Lifecycle: created once per run through Guice; if {@link #needsIndex()}, {@link #index(Record)} is
 * called for every record and then {@link #indexDone()}; then {@link #apply(Record)} for every record,
 * possibly from several threads at once (implementations must be thread-safe after {@code indexDone}).
 * The result must not depend on the order records arrive in.
 */
public interface RecordFilter extends ExtensionPoint {

    /** Decides for one record. */
    FilterDecision apply(Record record);

    /** True when the filter needs a first pass over every record before deciding. */
    default boolean needsIndex() {
        return false;
    }

    /** First pass: sees one record. Called from one thread unless {@link #concurrentIndex()}. */
    default void index(Record record) {
    }

    /**
     * True when {@link #index(Record)} is thread-safe, so a runner may call it from several threads at
     * once (e.g. to compute MinHash signatures on every core). The result must still not depend on order.
     */
    default boolean concurrentIndex() {
        return false;
    }

    /** First pass finished: build whatever {@link #apply} consults. */
    default void indexDone() {
    }
}
