package org.rlhf4j.host.batch;

import java.util.List;
import java.util.ServiceLoader;
import org.rlhf4j.host.shard.FilterEngine;

/**
 * A runner for batch jobs other than the in-process one ({@code rlhf batch ... --engine NAME}), found through
 * {@link ServiceLoader} when its jar is on the class path (the optional Spark runner). It is not a PF4J extension
 * point for the reason {@link FilterEngine} gives: Spark needs the engine on the application class path.
 */
public interface BatchEngine {

    /** The name {@code --engine} selects it by. */
    String name();

    /**
     * Runs {@code job} over {@code batches} on this engine at {@code master}, each batch through
     * {@link BatchTask#run} on an executor; returns each batch's output lines, in batch order.
     */
    List<List<String>> batch(String master, BatchJob job, List<List<BatchItem>> batches);

    /** The engine named {@code name} on the class path; fails naming the jar it needs. */
    static BatchEngine find(String name) {
        for (BatchEngine e : ServiceLoader.load(BatchEngine.class)) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException(FilterEngine.missing(name));
    }
}
