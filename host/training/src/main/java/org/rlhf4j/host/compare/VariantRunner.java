package org.rlhf4j.host.compare;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * How a comparison reads and runs a run file: the command line's own {@code rlhf run} (the CLI implements it),
 * so a comparison has no runner of its own.
 */
public interface VariantRunner {

    /** A run file resolved with its overrides: the config (every plugin's defaults merged) and every extension's name. */
    record Resolved(Config config, Set<String> extensionNames) {
    }

    /**
     * Resolves {@code config} with {@code sets} and creates its stages (as {@code rlhf run} does first), so that a
     * config mistake fails before any work.
     */
    Resolved resolve(Path config, List<String> sets);

    /** {@code rlhf run --resume config --set ...}; returns its exit code. */
    int run(Path config, List<String> sets) throws Exception;
}
