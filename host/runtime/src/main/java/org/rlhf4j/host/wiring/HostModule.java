package org.rlhf4j.host.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import com.typesafe.config.Config;
import org.rlhf4j.host.config.WholeNumbers;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.MetricsSink;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.host.config.RunSettings;
import org.rlhf4j.host.plugin.ExtensionCatalog;
import org.rlhf4j.host.plugin.PluginHost;

/**
 * The run's one Guice injector: the resolved config, the run context, the metrics sink and the
 * extension factory. Every extension, built-in or plugin, is created through it. For {@code rlhf run} the metrics
 * sink is the fan-out over {@code run.metrics.sinks} ({@code org.rlhf4j.host.metrics.RunMetrics}), whose sinks are
 * themselves extensions created through this injector; tools and tests pass a sink of their own.
 */
public final class HostModule extends AbstractModule {

    private final Config config;
    private final RunSettings settings;
    private final MetricsSink metrics;
    private final GuiceExtensions extensions;

    private HostModule(Config config, RunSettings settings, MetricsSink metrics, GuiceExtensions extensions) {
        this.config = config;
        this.settings = settings;
        this.metrics = metrics;
        this.extensions = extensions;
    }

    /** Builds the injector for one run. */
    public static Injector injector(Config config, RunSettings settings, MetricsSink metrics,
                                    PluginHost plugins, ExtensionCatalog catalog) {
        GuiceExtensions extensions = new GuiceExtensions(catalog, plugins, config);
        Injector injector = Guice.createInjector(Stage.PRODUCTION,
                new HostModule(config, settings, metrics, extensions));
        extensions.attach(injector);
        return injector;
    }

    @Override
    protected void configure() {
        bind(Config.class).toInstance(WholeNumbers.view(config));
        bind(RunSettings.class).toInstance(settings);
        bind(MetricsSink.class).toInstance(metrics);
        bind(RunContext.class).toInstance(new HostRunContext(settings, config, metrics));
        bind(Extensions.class).toInstance(extensions);
    }
}
