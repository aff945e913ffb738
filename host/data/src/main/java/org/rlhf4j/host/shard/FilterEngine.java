package org.rlhf4j.host.shard;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.stage.Stage;

/**
 * A runner for the filter stage other than the in-process one ({@code rlhf data --engine NAME}, {@code rlhf bench
 * data}), found through {@link ServiceLoader} when its jar is on the class path: the optional Spark runner.
 *
 * <p>Why not a PF4J extension point: an engine is not a choice inside a run but the JVM the run lives in. Spark's
 * driver and executors deserialize tasks by class name through the application class loader, so the engine's
 * classes, Spark's and the host's must all sit on one class path (spark-submit or {@code --jars}); a plugin
 * class loader is invisible to the executors, and a PF4J zip cannot carry Spark (hundreds of jars, provided by
 * the cluster). ServiceLoader on the application class path is the mechanism Spark itself uses for such hooks.
 * The host has no compile-time dependency on any engine.
 */
public interface FilterEngine {

    /** The name {@code --engine} selects it by. */
    String name();

    /** The filter stage on this engine at {@code master}: the same filters, the same outputs and report section. */
    Stage filterStage(String master, Config config, Extensions extensions);

    /** Runs the filters {@code chain} over the record file {@code in} (for {@code rlhf bench data}). */
    void filter(String master, Config config, Extensions extensions, List<String> chain, Path in, Path out, Path rejected)
            throws IOException;

    /** The engine named {@code name} on the class path; fails naming the jar it needs. */
    static FilterEngine find(String name) {
        for (FilterEngine e : ServiceLoader.load(FilterEngine.class)) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException(missing(name));
    }

    /** The message for an engine that is not on the class path (shared with the batch engines). */
    static String missing(String name) {
        return "no engine '" + name + "' on the class path"
                + (name.equals("spark") ? ": put the rlhf4j-spark-runner jar and Spark's jars on it (docs/spark.md)" : "");
    }
}
