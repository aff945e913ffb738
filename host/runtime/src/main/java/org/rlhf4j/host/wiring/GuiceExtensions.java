package org.rlhf4j.host.wiring;

import com.google.inject.ConfigurationException;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pf4j.ExtensionPoint;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.Settings;
import org.rlhf4j.host.config.WholeNumbers;
import org.rlhf4j.host.plugin.ExtensionCatalog;
import org.rlhf4j.host.plugin.PluginHost;

/**
 * Creates extensions by name through the run's injector (Druid's PolyBind idea: a name from config
 * picks the implementation; an unknown name fails listing the known ones).
 *
 * <p>Each extension gets a child injector that binds its {@link Settings}: the config at the path of
 * its name. Plugin classes are created with the thread's context class loader set to the plugin's,
 * since Typesafe Config and ServiceLoader read it (docs/pitfalls.md, pf4j #474).
 */
public final class GuiceExtensions implements Extensions {

    private final ExtensionCatalog catalog;
    private final PluginHost plugins;
    private final Config config;
    private Injector injector;
    /** The settings blocks handed to extensions, with their paths: how a key relative to one is named in full. */
    private final Map<Config, String> blocks = java.util.Collections.synchronizedMap(new IdentityHashMap<>());

    public GuiceExtensions(ExtensionCatalog catalog, PluginHost plugins, Config config) {
        this.catalog = catalog;
        this.plugins = plugins;
        this.config = config;
    }

    /** Set once the injector that binds this object exists. */
    void attach(Injector injector) {
        this.injector = injector;
    }

    @Override
    public <T extends ExtensionPoint> T select(Class<T> point, String configKey) {
        if (!config.hasPath(configKey)) {
            throw new ConfigException.Missing(config.origin(), configKey);
        }
        return createNamed(point, config.getString(configKey), config, configKey);
    }

    @Override
    public <T extends ExtensionPoint> T select(Class<T> point, Config settings, String key) {
        return createNamed(point, settings.getString(key), settings, key);
    }

    @Override
    public <T extends ExtensionPoint> List<T> selectAll(Class<T> point, String configKey) {
        List<String> names = config.getStringList(configKey);
        List<T> result = new ArrayList<>();
        for (String name : names) {
            // "name#label" is another instance of extension "name" (e.g. evaluate#sft, evaluate#ppo)
            int hash = name.indexOf('#');
            result.add(createNamed(point, hash < 0 ? name : name.substring(0, hash), config, configKey));
        }
        return result;
    }

    @Override
    public <T extends ExtensionPoint> T create(Class<T> point, String name) {
        return createNamed(point, name, config, null);
    }

    @Override
    public SortedSet<String> names(Class<? extends ExtensionPoint> point) {
        return catalog.names(point);
    }

    /** Creates extension {@code name}; an unknown name is a problem of {@code key} in {@code where} (null key: named in code). */
    private <T extends ExtensionPoint> T createNamed(Class<T> point, String name, Config where, String key) {
        ExtensionCatalog.Entry entry = catalog.find(point, name)
                .orElseThrow(() -> unknown(point, name, where, key));
        Config settings = settingsOf(name);
        blocks.put(settings, name);
        Injector child = injector.createChildInjector(b ->
                b.bind(Config.class).annotatedWith(Settings.class).toInstance(settings));
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(entry.type().getClassLoader());
        try {
            return point.cast(child.getInstance(entry.type()));
        } catch (ProvisionException | ConfigurationException e) {
            throw unwrap(e, point, name);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The config at the path of an extension's name (or an empty config), read through {@link WholeNumbers}. */
    Config settingsOf(String name) {
        if (config.hasPath(name) && config.getValue(name).valueType() == ConfigValueType.OBJECT) {
            return WholeNumbers.view(config.getConfig(name));
        }
        return WholeNumbers.view(ConfigFactory.empty("no settings for " + name));
    }

    private RuntimeException unknown(Class<?> point, String name, Config where, String key) {
        StringBuilder msg = new StringBuilder();
        msg.append("no ").append(point.getSimpleName()).append(" extension is named '").append(name).append("'. Known: ")
                .append(catalog.names(point).isEmpty() ? "(none)" : String.join(", ", catalog.names(point)));
        List<PluginHost.PluginInfo> failed = plugins.failures();
        if (!failed.isEmpty()) {
            msg.append(". Plugin archives that failed to load: ");
            for (PluginHost.PluginInfo f : failed) {
                msg.append(f.archive().getFileName()).append(" (").append(f.failure()).append("); ");
            }
        }
        String text = msg.toString().trim();
        String block = blocks.get(where);
        return key == null ? new UnknownExtension(text + " (a name given in code, not in the config)", !failed.isEmpty())
                : new UnknownExtension(where, key, text, !failed.isEmpty(), block);
    }

    /**
     * No extension of that name. {@code pluginFailed} when some plugin archive failed to load, which may
     * be why (the CLI then exits with the plugin-error code).
     */
    public static final class UnknownExtension extends ConfigProblem {
        private final boolean pluginFailed;

        UnknownExtension(Config config, String key, String message, boolean pluginFailed, String block) {
            super(block == null ? config : config.atPath(block), block == null ? key : block + "." + key, message);
            this.pluginFailed = pluginFailed;
        }

        UnknownExtension(String message, boolean pluginFailed) {
            super(message);
            this.pluginFailed = pluginFailed;
        }

        public boolean pluginFailed() {
            return pluginFailed;
        }
    }

    /**
     * Guice wraps what a constructor threw; surface the config or stage error itself, with a key relative to an
     * extension's settings block named by its full path.
     */
    private RuntimeException unwrap(RuntimeException e, Class<?> point, String name) {
        Throwable t = e;
        while (t != null) {
            if (t instanceof UnknownExtension || t instanceof org.rlhf4j.api.stage.StageFailure) {
                return (RuntimeException) t;
            }
            if (t instanceof ConfigProblem p) {
                String block = p.config() == null ? null : blocks.get(p.config());
                return block == null ? p : p.under(block);
            }
            if (t instanceof ConfigException ce) {
                // Typesafe names keys relative to the extension's own block: name them in full.
                return new ConfigProblem(fullPaths(ce.getMessage(), name)
                        + " (in the settings of " + point.getSimpleName() + " '" + name + "')");
            }
            t = t.getCause();
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return new IllegalStateException(point.getSimpleName() + " '" + name + "' could not be created: " + cause, cause);
    }

    /** Typesafe Config's ways of naming a key: {@code key 'x'}, {@code at 'x'}, {@code origin: x has type}. */
    private static final Pattern KEY = Pattern.compile("(key '|at ')([^']+)'|^((?:[^:]+: \\d+: )?)([\\w.\"-]+) has type");

    /** {@code message} with the key it names prefixed by {@code block}. */
    static String fullPaths(String message, String block) {
        Matcher m = KEY.matcher(message);
        if (!m.find()) {
            return message;
        }
        if (m.group(2) != null) {
            return message.substring(0, m.start(2)) + block + "." + m.group(2) + message.substring(m.end(2));
        }
        return message.substring(0, m.start(4)) + block + "." + m.group(4) + message.substring(m.end(4));
    }
}
