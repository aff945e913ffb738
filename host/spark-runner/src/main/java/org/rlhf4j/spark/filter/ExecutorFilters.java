package org.rlhf4j.spark.filter;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.data.RecordFilter;
import org.rlhf4j.host.config.RunSettings;
import org.rlhf4j.host.filter.FilterChain;
import org.rlhf4j.host.filter.FilterStage;
import org.rlhf4j.host.plugin.ExtensionCatalog;
import org.rlhf4j.host.plugin.PluginHost;
import org.rlhf4j.host.wiring.HostModule;

/**
 * The filters of a chain in one executor JVM, built once (lazily, on the first task) from the run's resolved
 * config, which travels with the job as text: the host's own Guice wiring and built-in extensions, plus the
 * plugins of {@code plugins.dir} when that folder exists on the executor. Per-record filters are shared by
 * every task of the JVM (a {@link RecordFilter} is thread-safe after {@code indexDone}); an indexing filter
 * gets a fresh instance per group of records ({@link #fresh}).
 */
public final class ExecutorFilters {

    private static final Map<String, Extensions> EXTENSIONS = new ConcurrentHashMap<>();
    private static final Map<String, ExecutorFilters> CHAINS = new ConcurrentHashMap<>();

    private final Extensions extensions;
    private final Config config;
    private final List<FilterChain.Step> steps = new ArrayList<>();

    private ExecutorFilters(Extensions extensions, Config config, List<String> names) {
        this.extensions = extensions;
        this.config = config;
        for (String name : names) {
            steps.add(FilterStage.step(config, name, extensions.create(RecordFilter.class, name)));
        }
    }

    /** The config as the text a job carries to its executors. */
    public static String text(Config config) {
        return config.root().render(ConfigRenderOptions.concise());
    }

    /** Lets the tasks of this JVM (local mode, or the driver) use extensions already built for {@code configText}. */
    public static void register(String configText, Extensions extensions) {
        EXTENSIONS.putIfAbsent(configText, extensions);
    }

    /** The chain {@code names} for {@code configText}, built on first use in this JVM. */
    public static ExecutorFilters of(String configText, List<String> names) {
        return CHAINS.computeIfAbsent(names + "\n" + configText, k -> {
            Config config = ConfigFactory.parseString(configText).resolve();
            return new ExecutorFilters(EXTENSIONS.computeIfAbsent(configText, t -> build(config)), config, names);
        });
    }

    private static Extensions build(Config config) {
        String dir = config.getString("plugins.dir");
        try {
            Path plugins = !dir.isBlank() && Files.isDirectory(Path.of(dir)) ? Path.of(dir) : Files.createTempDirectory("rlhf-no-plugins");
            PluginHost host = PluginHost.load(plugins, new HashSet<>(config.getStringList("plugins.disabled")));
            return HostModule.injector(config, RunSettings.from(config), (stage, step, values) -> { }, host,
                    ExtensionCatalog.scan(host)).getInstance(Extensions.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<FilterChain.Step> steps() {
        return steps;
    }

    /** Step {@code i} with a new instance of its filter, for an index built over one group of records. */
    public FilterChain.Step fresh(int i) {
        FilterChain.Step s = steps.get(i);
        return FilterStage.step(config, s.name(), extensions.create(RecordFilter.class, s.name()));
    }
}
