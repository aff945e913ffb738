package org.rlhf4j.host.metrics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.MetricsSink;
import org.rlhf4j.api.MetricsSinkFactory;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.run.ExtensionFailure;

/**
 * The run's {@link MetricsSink}: delivers each call to every sink {@code run.metrics.sinks} names, in order.
 *
 * <p>The run's injector binds this object before its sinks exist (they are created through that injector), so it
 * is built empty and {@link #open} fills it once, before any stage is built. A sink that throws from {@code log}
 * does not keep the call from the others: the first failure is thrown afterwards, naming its sink, the stage and
 * the step. {@link #close()} closes every sink, each even when another fails, and names each that failed. A sink
 * that cannot open or close is a {@link StageFailure} (the user can act on it: a full disk, a folder in the way).
 */
public final class RunMetrics implements MetricsSink, AutoCloseable {

    /** The config key that lists the sinks. */
    public static final String KEY = "run.metrics.sinks";

    private record Named(String name, MetricsSinkFactory.Sink sink) {
    }

    private volatile List<Named> sinks;

    /**
     * Creates and opens the sinks {@code run.metrics.sinks} lists. An unknown name fails listing the known ones; a
     * name listed twice fails (two sinks of one kind would write the same files; {@code name#label} is another
     * instance). When one fails to open, those opened before it are closed. A {@link ConfigProblem} or
     * {@link StageFailure} a sink throws passes through; any other failure is a {@link StageFailure} naming the sink.
     */
    public void open(Extensions extensions, RunContext run, com.typesafe.config.Config config) {
        if (sinks != null) {
            throw new IllegalStateException("the run's metrics sinks are already open");
        }
        List<String> names = config.getStringList(KEY);
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                throw new ConfigProblem(config, KEY, "lists '" + name + "' twice");
            }
        }
        List<MetricsSinkFactory> factories = extensions.selectAll(MetricsSinkFactory.class, KEY);
        List<Named> opened = new ArrayList<>();
        try {
            for (int i = 0; i < names.size(); i++) {
                MetricsSinkFactory.Sink sink;
                try {
                    sink = factories.get(i).open(run);
                } catch (ConfigProblem | StageFailure e) {
                    throw e;
                } catch (IOException | RuntimeException e) {
                    throw new StageFailure("metrics sink '" + names.get(i) + "' (" + KEY + ") could not be opened: " + e, e);
                }
                opened.add(new Named(names.get(i), sink));
            }
        } catch (RuntimeException e) {
            try {
                closeAll(opened);
            } catch (StageFailure closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        sinks = List.copyOf(opened);
    }

    /** The names of the open sinks, in delivery order. */
    public List<String> names() {
        return current().stream().map(Named::name).toList();
    }

    @Override
    public void log(String stage, long step, Map<String, ?> values) {
        RuntimeException first = null;
        for (Named n : current()) {
            try {
                n.sink().log(stage, step, values);
            } catch (RuntimeException e) {
                RuntimeException named = ExtensionFailure.of("metrics sink", n.name(),
                        "stage " + stage + (step >= 0 ? ", step " + step : ""), e);
                if (first == null) {
                    first = named;
                } else {
                    first.addSuppressed(named);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private List<Named> current() {
        List<Named> s = sinks;
        if (s == null) {
            throw new IllegalStateException("metrics were logged before the run's sinks (" + KEY + ") were opened");
        }
        return s;
    }

    /** Closes every sink once; nothing when none was opened (the run stopped first). Later calls are delivered nowhere. */
    @Override
    public void close() {
        List<Named> s = sinks;
        if (s != null) {
            sinks = List.of();
            closeAll(s);
        }
    }

    /** Closes each of {@code sinks}; the first failure is thrown, naming its sink, with the later ones suppressed. */
    private static void closeAll(List<Named> sinks) {
        StageFailure first = null;
        for (Named n : sinks) {
            try {
                n.sink().close();
            } catch (IOException | RuntimeException e) {
                StageFailure named = new StageFailure("metrics sink '" + n.name() + "' could not be closed: " + e, e);
                if (first == null) {
                    first = named;
                } else {
                    first.addSuppressed(named);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
