package org.rlhf4j.host.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseable;
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
 *   <li>the {@code system-defaults} of the extensions the run selects ({@link SystemDefaults});</li>
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
            // Absolute, so that a bare file name ("rlhf run deepspeed.conf") still has a folder for its includes.
            fileConfig = ConfigFactory.parseFile(file.toAbsolutePath().toFile(),
                    ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF)
                            .setIncluder(new RequiredIncludes()));
        }
        Config hostRef = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf");
        return new ConfigLoader(parseSets(sets), fileConfig, hostRef);
    }

    /**
     * Makes every {@code include "file"} of a run file required: Typesafe Config skips a missing one silently, and a
     * run would then train with defaults the user thought they had replaced. The error names the file looked for.
     */
    static final class RequiredIncludes implements ConfigIncluder {
        private final ConfigIncluder fallback;

        RequiredIncludes() {
            this(null);
        }

        private RequiredIncludes(ConfigIncluder fallback) {
            this.fallback = fallback;
        }

        @Override
        public ConfigIncluder withFallback(ConfigIncluder fallback) {
            return this.fallback == fallback ? this : new RequiredIncludes(fallback);
        }

        @Override
        public ConfigObject include(ConfigIncludeContext context, String what) {
            ConfigIncludeContext required = context.setParseOptions(context.parseOptions().setAllowMissing(false));
            try {
                return fallback.include(required, what);
            } catch (ConfigException.IO e) {
                // The including file's folder: "." next to it exists, so Typesafe gives it as a file (a missing sibling it
                // would turn into a class-path resource, hence its "not found on classpath").
                ConfigParseable here = context.relativeTo(".");
                String folder = here == null ? null : here.origin().filename();
                String looked = folder == null ? what : Path.of(folder).resolveSibling(what).normalize().toString();
                throw new ConfigException.IO(e.origin(), "include \"" + what + "\": no such file (looked for " + looked + ")");
            }
        }
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

    /**
     * The fully resolved config of the run, with the {@link SystemDefaults} of the extensions it selects laid between
     * the run file and the reference.conf files. Substitutions may use environment variables ({@code ${?HOME}}).
     */
    public Config resolve() {
        Config user = overrides.withFallback(runFile);
        Config references = ConfigFactory.empty();
        for (Config c : pluginReferences) {
            references = references.withFallback(c);
        }
        references = references.withFallback(hostReference);
        ConfigResolveOptions options = ConfigResolveOptions.defaults().setUseSystemEnvironment(true);
        Config provisional = user.withFallback(references).resolve(options);
        Config systems = SystemDefaults.of(provisional, user, references.resolve());
        return user.withFallback(systems).withFallback(references).resolve(options);
    }
}
