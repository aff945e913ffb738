package org.rlhf4j.api.data;

import org.pf4j.ExtensionPoint;

/**
 * Keeps, drops (with a reason) or rewrites one record: dedup, quality rules, language, privacy ...
 *
 * <p>A filter is a plain function of a record, plus, for filters that look across the corpus (dedup),
 * an index built in a first pass, so the same filter runs unchanged in-process or on a cluster.
 * Lifecycle: created through Guice, one instance per entry of {@code filter.chain}, by what runs the chain:
 * the filter stage when it is built, each shard of a sharded run and the merge after them, and the Spark runner
 * once per executor plus once per partition it indexes on its own. On one instance, if {@link #needsIndex()},
 * {@link #index(Record)} is called for every record it is given and then {@link #indexDone()}; then
 * {@link #apply(Record)} for every record, possibly from several threads at once (implementations must be
 * thread-safe after {@code indexDone}). It holds nothing to close. The result must not depend on the order
 * records arrive in.
 *
 * <p>Two settings of every filter's block are applied by the host, not by the filter: {@code <name>.kinds} (the
 * record kinds it judges; others pass untouched) and {@code <name>.skip-formats} (records whose
 * {@code meta.format} is listed pass untouched). A filter's reference.conf need not declare them.
 *
 * @since 0.1.0
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
