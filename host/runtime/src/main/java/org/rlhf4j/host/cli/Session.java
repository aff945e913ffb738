package org.rlhf4j.host.cli;

import com.google.inject.Injector;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.rlhf4j.api.MetricsSink;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.host.config.ConfigLoader;
import org.rlhf4j.host.config.RunSettings;
import org.rlhf4j.host.config.Secrets;
import org.rlhf4j.host.config.UnknownKeys;
import org.rlhf4j.host.plugin.ExtensionCatalog;
import org.rlhf4j.host.plugin.PluginHost;
import org.rlhf4j.host.wiring.DeviceResolver;
import org.rlhf4j.host.wiring.HostModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every command starts from: the config layers, the plugins they point at, the merged config
 * with every plugin's defaults, and the catalog of extensions.
 */
public final class Session implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Session.class);

    public final Config config;
    public final Config reference;
    public final PluginHost plugins;
    public final ExtensionCatalog catalog;

    private Session(Config config, Config reference, PluginHost plugins, ExtensionCatalog catalog) {
        this.config = config;
        this.reference = reference;
        this.plugins = plugins;
        this.catalog = catalog;
    }

    /**
     * Loads plugins from the distribution's plugins folder and the one {@code plugins.dir} names (or
     * {@code pluginsOverride}), then resolves the config over every plugin's reference.conf and checks its types and
     * keys against them.
     */
    public static Session open(Path configFile, List<String> sets, Path pluginsOverride) {
        ConfigLoader loader = ConfigLoader.of(configFile, sets);
        Config boot = loader.bootstrap();
        PluginHost plugins = PluginHost.load(pluginFolders(boot, pluginsOverride),
                new HashSet<>(boot.getStringList("plugins.disabled")));
        for (ClassLoader cl : plugins.startedClassLoaders()) {
            loader.withPluginReference(cl);
        }
        Config config = loader.resolve();
        Config reference = loader.reference();
        Secrets.remember(config); // before anything can log or fail with one of them

        // Wrong types and missing keys, named with file:line, before anything runs.
        config.checkValid(reference);
        DeviceResolver.check(config);
        ExtensionCatalog catalog = ExtensionCatalog.scan(plugins);
        checkKeys(config, reference, catalog);
        return new Session(config, reference, plugins, catalog);
    }

    /** Unknown keys fail the session, or are printed as warnings with {@code run.unknown-keys = warn}. */
    private static void checkKeys(Config config, Config reference, ExtensionCatalog catalog) {
        String mode = config.getString("run.unknown-keys");
        if (!mode.equals("fail") && !mode.equals("warn")) {
            throw new ConfigProblem(config, "run.unknown-keys", "must be fail or warn, got '" + mode + "'");
        }
        // The host applies these two to every record filter's block (RecordFilter's javadoc).
        java.util.Set<String> filterKeys = new java.util.HashSet<>();
        for (String name : catalog.names(org.rlhf4j.api.data.RecordFilter.class)) {
            filterKeys.add(name + ".kinds");
            filterKeys.add(name + ".skip-formats");
        }
        for (UnknownKeys.Unknown u : UnknownKeys.check(config, reference, filterKeys, mode.equals("warn"))) {
            log.warn("config: {}", u.describe());
        }
    }

    /**
     * The folders plugins load from, in order: the distribution's {@code plugins/} ({@code rlhf.home} set by bin/rlhf)
     * unless {@code plugins.builtin = false}, then {@code pluginsOverride} ({@code --plugins}) or else
     * {@code plugins.dir}. A folder named explicitly must exist.
     */
    public static List<Path> pluginFolders(Config boot, Path pluginsOverride) {
        List<Path> folders = new java.util.ArrayList<>();
        String home = System.getProperty("rlhf.home");
        if (home != null && boot.getBoolean("plugins.builtin")) {
            folders.add(Path.of(home, "plugins"));
        }
        String dir = boot.getString("plugins.dir");
        Path extra = pluginsOverride != null ? pluginsOverride : dir.isBlank() ? null : Path.of(dir);
        if (extra != null) {
            if (!java.nio.file.Files.isDirectory(extra)) {
                throw new org.rlhf4j.host.plugin.PluginLoadException("the plugins folder " + extra + " ("
                        + (pluginsOverride != null ? "--plugins" : ConfigProblem.describe(boot, "plugins.dir"))
                        + ") does not exist or is not a folder");
            }
            folders.add(extra);
        }
        return folders;
    }

    public RunSettings runSettings() {
        return RunSettings.from(config);
    }

    public Injector injector(MetricsSink metrics) {
        return HostModule.injector(config, runSettings(), metrics, plugins, catalog);
    }

    @Override
    public void close() {
        plugins.close();
    }
}
