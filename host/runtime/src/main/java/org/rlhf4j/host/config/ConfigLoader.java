package org.rlhf4j.host.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/**
 * Builds a run's config from its layers, highest priority first:
 * <ol>
 *   <li>{@code --set key=value} overrides from the command line (parsed as HOCON values);</li>
 *   <li>the run file (which may {@code include} others);</li>
 *   <li>the {@code reference.conf} of every loaded plugin;</li>
 *   <li>the {@code reference.conf} of every host module on the class path (runtime, model, data, annotate, training),
 *       merged by Typesafe Config.</li>
 * </ol>
 * Every value keeps its origin (file and line, or {@code --set}), which error messages and
 * {@code rlhf config} print.
 */
public final class ConfigLoader {

    private final Config overrides;
    private final Config runFile;
    private final List<Config> pluginReferences = new ArrayList<>();
    private final Config hostReference;

    private ConfigLoader(Config overrides, Config runFile, Config hostReference) {
        this.overrides = overrides;
        this.runFile = runFile;
        this.hostReference = hostReference;
    }

    /**
     * Starts from a run file (null for none) and {@code --set} overrides.
     *
     * @throws ConfigException naming the file and line of a syntax error, or the file that is missing
     */
    public static ConfigLoader of(Path file, List<String> sets) {
        Config fileConfig = ConfigFactory.empty();
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new ConfigException.IO(ConfigFactory.empty().origin(),
                        "config file " + file + " does not exist or is not a file");
            }
            fileConfig = ConfigFactory.parseFile(file.toFile(),
                    ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF));
        }
        Config hostRef = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf");
        return new ConfigLoader(parseSets(sets), fileConfig, hostRef);
    }

    /** Parses {@code key=value} pairs; the value is HOCON ({@code 3}, {@code "a b"}, {@code [x, y]}). */
    static Config parseSets(List<String> sets) {
        Config result = ConfigFactory.empty();
        for (String set : sets) {
            int eq = set.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException.BadPath(set, "--set takes key=value, got '" + set + "'");
            }
            String key = set.substring(0, eq).trim();
            String value = set.substring(eq + 1).trim();
            Config one;
            try {
                one = ConfigFactory.parseString(key + " = " + (value.isEmpty() ? "\"\"" : value),
                        ConfigParseOptions.defaults().setOriginDescription("--set " + set));
            } catch (ConfigException.Parse e) {
                // Not a HOCON value (e.g. a path with a colon): take it as a string.
                one = ConfigFactory.empty("--set " + set).withValue(key,
                        com.typesafe.config.ConfigValueFactory.fromAnyRef(value, "--set " + set));
            }
            result = one.withFallback(result);
        }
        return result;
    }

    /** Adds the reference.conf files found directly in a plugin's own class path (not its parent's). */
    public ConfigLoader withPluginReference(ClassLoader pluginLoader) {
        try {
            Enumeration<URL> urls = pluginLoader instanceof java.net.URLClassLoader ucl
                    ? ucl.findResources("reference.conf")
                    : pluginLoader.getResources("reference.conf");
            while (urls.hasMoreElements()) {
                pluginReferences.add(ConfigFactory.parseURL(urls.nextElement()));
            }
        } catch (IOException e) {
            throw new ConfigException.IO(ConfigFactory.empty().origin(), "cannot read a plugin's reference.conf", e);
        }
        return this;
    }

    /** The overrides and the run file over the host's defaults, before any plugin is loaded. */
    public Config bootstrap() {
        return overrides.withFallback(runFile).withFallback(hostReference).resolve();
    }

    /** All defaults merged: the host's and every plugin's reference.conf. */
    public Config reference() {
        Config ref = ConfigFactory.empty();
        for (Config c : pluginReferences) {
            ref = ref.withFallback(c);
        }
        return ref.withFallback(hostReference).resolve();
    }

    /** The fully resolved config of the run. Substitutions may use environment variables ({@code ${?HOME}}). */
    public Config resolve() {
        Config all = overrides.withFallback(runFile);
        for (Config c : pluginReferences) {
            all = all.withFallback(c);
        }
        return all.withFallback(hostReference)
                .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(true));
    }
}
