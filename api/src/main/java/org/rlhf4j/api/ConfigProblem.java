package org.rlhf4j.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;

/**
 * A config value that is present but unusable (an unknown name, a value out of range), reported with
 * the key and the file and line it came from. Typesafe Config's own exceptions already name both for
 * wrong types and missing keys; this covers the checks an extension makes itself.
 */
public class ConfigProblem extends ConfigException {

    private final String key;

    public ConfigProblem(Config config, String key, String message) {
        super(describe(config, key) + ": " + message);
        this.key = key;
    }

    /** The config path the problem is about. */
    public String key() {
        return key;
    }

    /** {@code key (file:line)}, or the key alone when it has no origin in a file. */
    public static String describe(Config config, String key) {
        try {
            if (!config.hasPathOrNull(key)) {
                return key + " (not set)";
            }
            return key + " (" + where(config.getValue(key).origin()) + ")";
        } catch (ConfigException e) {
            return key;
        }
    }

    /** A short {@code file:line} of an origin, or its description when it is not a file. */
    public static String where(ConfigOrigin origin) {
        if (origin.filename() != null) {
            return origin.filename() + ":" + origin.lineNumber();
        }
        if (origin.resource() != null) {
            return origin.resource() + ":" + origin.lineNumber();
        }
        // e.g. "--set run.seed=5: 1": the line of a one-line origin says nothing
        return origin.description().replaceFirst(": \\d+$", "");
    }
}
