package org.rlhf4j.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;

/**
 * A config value that is present but unusable (an unknown name, a value out of range), reported with
 * the key and the file and line it came from. Typesafe Config's own exceptions already name both for
 * wrong types and missing keys; this covers the checks an extension makes itself.
 *
 * <p>An extension throws it with the key relative to the config it was given, usually its own
 * {@link Settings} block ({@code clip-reward}); the host re-roots it at the block's path before the user sees
 * it ({@code acme.reinforce.clip-reward}), see {@link #under(String)}.
 *
 * @since 0.1.0
 */
public class ConfigProblem extends ConfigException {

    private final String key;
    private final String where;
    private final String detail;
    private final transient Config config;

    public ConfigProblem(Config config, String key, String message) {
        this(config, key, originOf(config, key), message);
    }

    /**
     * A problem with no config key behind it (e.g. an extension name given in code): the message alone.
     *
     * @since 0.2.1
     */
    public ConfigProblem(String message) {
        this(null, null, null, message);
    }

    private ConfigProblem(Config config, String key, String where, String detail) {
        super(key == null ? detail : key + " (" + where + "): " + detail);
        this.config = config;
        this.key = key;
        this.where = where;
        this.detail = detail;
    }

    /** The config path the problem is about (null when it is about no key). */
    public String key() {
        return key;
    }

    /**
     * The config the key is relative to, as given to the constructor (null after serialisation).
     *
     * @since 0.2.1
     */
    public Config config() {
        return config;
    }

    /**
     * The same problem with its key prefixed by {@code path}: how the host names a key of an extension's
     * settings block by its full path.
     *
     * @since 0.2.1
     */
    public ConfigProblem under(String path) {
        ConfigProblem p = new ConfigProblem(null, key == null ? null : path + "." + key, where, detail);
        p.setStackTrace(getStackTrace());
        return p;
    }

    /** {@code key (file:line)}, or {@code key (not set)} when it has no value. */
    public static String describe(Config config, String key) {
        return key + " (" + originOf(config, key) + ")";
    }

    private static String originOf(Config config, String key) {
        try {
            if (!config.hasPathOrNull(key)) {
                return "not set";
            }
            return where(config.getValue(key).origin());
        } catch (ConfigException e) {
            return "not set";
        }
    }

    /**
     * A short {@code file:line} of an origin: the file's path, a class-path resource's name, or for a file inside
     * an archive (a plugin's reference.conf) the archive's name and the entry; else the origin's description
     * without line numbers.
     */
    public static String where(ConfigOrigin origin) {
        String line = origin.lineNumber() >= 0 ? ":" + origin.lineNumber() : "";
        if (origin.filename() != null) {
            return origin.filename() + line;
        }
        if (origin.resource() != null) {
            return origin.resource() + line;
        }
        if (origin.url() != null) {
            String u = origin.url().toString();
            int bang = u.lastIndexOf("!/");
            String file = bang < 0 ? u : u.substring(u.lastIndexOf('/', bang) + 1);
            return file + line;
        }
        // e.g. "--set run.seed=5: 1": the line of a one-line origin says nothing
        return origin.description().replaceFirst(": -?\\d+(-?-?\\d+)?$", "");
    }
}
