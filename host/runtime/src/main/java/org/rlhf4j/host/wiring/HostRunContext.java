package org.rlhf4j.host.wiring;

import ai.djl.Device;
import com.typesafe.config.Config;
import java.nio.file.Path;
import org.rlhf4j.api.MetricsSink;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.host.config.RunSettings;

/** The host's {@link RunContext}: settings from the {@code run} block, the device resolved on first use. */
final class HostRunContext implements RunContext {

    private final RunSettings settings;
    private final Config config;
    private final MetricsSink metrics;
    private volatile Device device;

    HostRunContext(RunSettings settings, Config config, MetricsSink metrics) {
        this.settings = settings;
        this.config = config;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public long seed() {
        return settings.seed();
    }

    @Override
    public Device device() {
        if (device == null) {
            synchronized (this) {
                if (device == null) {
                    device = DeviceResolver.resolve(config);
                }
            }
        }
        return device;
    }

    @Override
    public Path directory() {
        return settings.output();
    }

    @Override
    public MetricsSink metrics() {
        return metrics;
    }
}
