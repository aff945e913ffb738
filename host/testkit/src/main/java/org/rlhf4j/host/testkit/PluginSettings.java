package org.rlhf4j.host.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueType;

/**
 * An extension's {@code @Settings} block as the host would inject it, for unit tests: the {@code reference.conf}
 * files on the test class path (your plugin's own, from {@code src/main/resources}, and the host's), under optional
 * HOCON overrides written as in a run file ({@code example.banned-words.words = [casino]}), resolved.
 *
 * <pre>{@code
 * Config settings = PluginSettings.of("example.banned-words", "example.banned-words.words = [casino]");
 * BannedWordsFilter filter = new BannedWordsFilter(settings);
 * }</pre>
 */
public final class PluginSettings {

    private PluginSettings() {
    }

    /** The block at {@code name} from the reference.conf files alone: your documented defaults. */
    public static Config of(String name) {
        return of(name, "");
    }

    /** The block at {@code name}, with {@code hocon} (paths from the root, as in a run file) over the defaults. */
    public static Config of(String name, String hocon) {
        Config all = config(hocon);
        if (!all.hasPath(name) || all.getValue(name).valueType() != ConfigValueType.OBJECT) {
            throw new IllegalArgumentException("no block '" + name + "' in any reference.conf on the test class path"
                    + " (nor in the overrides): give every extension a block of defaults in src/main/resources/reference.conf");
        }
        return all.getConfig(name);
    }

    /** The whole config: {@code hocon} over every reference.conf on the test class path, resolved. */
    public static Config config(String hocon) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = PluginSettings.class.getClassLoader();
        }
        return ConfigFactory.parseString(hocon).withFallback(ConfigFactory.parseResources(loader, "reference.conf")).resolve();
    }
}
