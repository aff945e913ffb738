package org.rlhf4j.host.cli;

import com.google.inject.Injector;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.rlhf4j.api.MetricsSink;
import org.rlhf4j.host.config.ConfigLoader;
import org.rlhf4j.host.config.RunSettings;
import org.rlhf4j.host.plugin.ExtensionCatalog;
import org.rlhf4j.host.plugin.PluginHost;
import org.rlhf4j.host.wiring.DeviceResolver;
import org.rlhf4j.host.wiring.HostModule;

/**
 * What every command starts from: the config layers, the plugins they point at, the merged config
 * with every plugin's defaults, and the catalog of extensions.
 */
public final class Session implements AutoCloseable {

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
     * Loads plugins from the folder {@code plugins.dir} names (or {@code pluginsOverride}), then
     * resolves the config over every plugin's reference.conf and checks its types against them.
     */
    public static Session open(Path configFile, List<String> sets, Path pluginsOverride) {
        ConfigLoader loader = ConfigLoader.of(configFile, sets);
        Config boot = loader.bootstrap();
        Path dir = pluginsOverride != null ? pluginsOverride : pluginsDir(boot);
        PluginHost plugins = PluginHost.load(dir, new HashSet<>(boot.getStringList("plugins.disabled")));
        for (ClassLoader cl : plugins.startedClassLoaders()) {
            loader.withPluginReference(cl);
        }
        Config config = loader.resolve();
        Config reference = loader.reference();
        // Wrong types and missing keys, named with file:line, before anything runs.
        config.checkValid(reference);
        DeviceResolver.check(config);
        ExtensionCatalog catalog = ExtensionCatalog.scan(plugins);
        return new Session(config, reference, plugins, catalog);
    }

    /** {@code plugins.dir}, or the distribution's plugins folder ({@code rlhf.home} set by bin/rlhf). */
    public static Path pluginsDir(Config boot) {
        String dir = boot.getString("plugins.dir");
        if (!dir.isBlank()) {
            return Path.of(dir);
        }
        String home = System.getProperty("rlhf.home");
        return home != null ? Path.of(home, "plugins") : Path.of("plugins");
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
