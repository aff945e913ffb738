package org.rlhf4j.host.cli;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.host.batch.BatchItem;
import org.rlhf4j.host.batch.BatchJob;

/**
 * A runner for the data stages and batch jobs other than the in-process one ({@code rlhf data --engine NAME},
 * {@code rlhf batch ... --engine NAME}), found through
 * {@link ServiceLoader} when its jar is on the class path (the optional Spark runner), so the host has no
 * compile-time dependency on any engine.
 */
public interface DataEngine {

    /** The name {@code --engine} selects it by. */
    String name();

    /** The filter stage on this engine at {@code master}: the same filters, the same outputs and report section. */
    Stage filterStage(String master, Config config, Extensions extensions);

    /** Runs the filters {@code chain} over the record file {@code in} (for {@code rlhf bench data}). */
    void filter(String master, Config config, Extensions extensions, List<String> chain, Path in, Path out, Path rejected)
            throws IOException;

    /**
     * Runs {@code job} over {@code batches} on this engine at {@code master}, each batch through
     * {@link org.rlhf4j.host.batch.BatchTask#run} on an executor; returns each batch's output lines, in batch order.
     */
    List<List<String>> batch(String master, BatchJob job, List<List<BatchItem>> batches);

    /** The engine named {@code name} on the class path; fails naming the jar it needs. */
    static DataEngine find(String name) {
        for (DataEngine e : ServiceLoader.load(DataEngine.class)) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("no data engine '" + name + "' on the class path"
                + (name.equals("spark") ? ": put the rlhf4j-spark-runner jar and Spark's jars on it (docs/spark.md)" : ""));
    }
}
