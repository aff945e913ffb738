package org.rlhf4j.host.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The engine settings of the systems a run selects. An extension whose settings block holds
 * {@code system-defaults { ... }} (a subtree rooted at the config's root) brings them along when a run names it in
 * any stage ({@code ppo.scheduler = deepspeed.token-level}, {@code ppo.safety = beaver.lagrangian}, a list entry such
 * as {@code annotate.annotators = [beaver.safety-judge]}): choosing DeepSpeed-Chat's scheduler also gives DeepSpeed-Chat's
 * sampling, EMA and KL coefficient, while the run file and {@code --set} still win key by key.
 *
 * <p>{@link ConfigLoader} lays the result beneath the run file and above every reference.conf. One pass: a
 * selection made by a system-defaults block does not bring that extension's own system defaults. Two selected
 * extensions that set one key to different values fail the run naming both, unless the run file sets the key.
 */
final class SystemDefaults {

    /** The block inside an extension's settings that holds its system's defaults. */
    static final String BLOCK = "system-defaults";

    private SystemDefaults() {
    }

    /**
     * The system defaults of every extension that {@code provisional} (the run resolved without them) selects.
     *
     * @param user the run file and overrides, unresolved: a key set there is never a conflict
     * @param reference every reference.conf merged: each key a system-defaults block sets must be declared there
     */
    static Config of(Config provisional, Config user, Config reference) {
        Map<String, Config> byExtension = new TreeMap<>();
        for (String name : selectedNames(provisional)) {
            String path = name + "." + BLOCK;
            if (provisional.hasPath(path) && provisional.getValue(path).valueType() == ConfigValueType.OBJECT) {
                byExtension.put(name, provisional.getConfig(path));
            }
        }
        Config result = ConfigFactory.empty();
        Map<String, String> setBy = new TreeMap<>();
        for (Map.Entry<String, Config> e : byExtension.entrySet()) {
            for (Map.Entry<String, ConfigValue> leaf : e.getValue().entrySet()) {
                String key = leaf.getKey();
                if (!reference.hasPathOrNull(key)) {
                    throw new ConfigException.BadPath(leaf.getValue().origin(), key, "the " + BLOCK + " of " + e.getKey()
                            + " sets '" + key + "', which no reference.conf declares (a misspelling in the plugin)");
                }
                String earlier = setBy.putIfAbsent(key, e.getKey());
                if (earlier != null && !setIn(user, key)
                        && !result.getValue(key).unwrapped().equals(leaf.getValue().unwrapped())) {
                    throw new ConfigException.BadValue(leaf.getValue().origin(), key, "the system defaults of " + earlier
                            + " and " + e.getKey() + " disagree on '" + key + "' (" + result.getValue(key).render()
                            + " vs " + leaf.getValue().render() + "); set it in the run file");
                }
                if (earlier == null) {
                    result = result.withValue(key, leaf.getValue());
                }
            }
        }
        return result;
    }

    /** Whether the run file or an override sets {@code key} (a key under an unresolved substitution counts as set). */
    private static boolean setIn(Config user, String key) {
        try {
            return user.hasPathOrNull(key);
        } catch (ConfigException.NotResolved e) {
            return true;
        }
    }

    /**
     * The extension names a run may select: every string (or string in a list) directly inside a top-level block,
     * without a {@code #label}, that is a valid config path.
     */
    static List<String> selectedNames(Config provisional) {
        TreeSet<String> names = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> block : provisional.root().entrySet()) {
            if (block.getValue() instanceof ConfigObject object) {
                for (ConfigValue v : object.values()) {
                    collect(v, names);
                    if (v instanceof ConfigList list) {
                        list.forEach(item -> collect(item, names));
                    }
                }
            }
        }
        List<String> valid = new ArrayList<>();
        for (String n : names) {
            try {
                provisional.hasPath(n);
                valid.add(n);
            } catch (ConfigException.BadPath e) {
                // not an extension name (a sentence, a file path with spaces): nothing to bring
            }
        }
        return valid;
    }

    private static void collect(ConfigValue v, TreeSet<String> names) {
        if (v.valueType() == ConfigValueType.STRING) {
            String s = (String) v.unwrapped();
            int hash = s.indexOf('#');
            String name = (hash >= 0 ? s.substring(0, hash) : s).trim();
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
    }
}
