package org.rlhf4j.api;

import java.io.Closeable;
import java.io.IOException;
import org.pf4j.ExtensionPoint;

/**
 * Opens one place a run's metrics go: a file, a dashboard's event log, a service. {@code run.metrics.sinks} names
 * the ones a run writes to (built-ins: {@code jsonl}, the run directory's {@code metrics.jsonl}, and
 * {@code tensorboard}, TensorBoard event files); the host delivers every {@link MetricsSink#log} call of every stage
 * to each of them, in the order listed.
 *
 * <p>Lifecycle: created through Guice when {@code rlhf run} opens the run directory, before any stage is built: one
 * instance per entry of {@code run.metrics.sinks} (an entry {@code name#label} is one more instance), with its
 * {@link Settings} block. {@link #open(RunContext)} is then called once, on the same thread, before any stage is
 * built; a failure stops the run, naming the sink, and the sinks opened before it are closed. The {@link Sink} it
 * returns receives calls from any thread of the run until the run ends, and is closed once when the run ends,
 * whether the stages returned, threw or were never built; after close it receives nothing. A sink must not log
 * to {@link RunContext#metrics()} itself: that is the host's fan-out, which calls it. An exception from
 * {@link Sink#log} fails the stage that logged, with the sink named; one from close is reported with its name
 * after every other sink was closed.
 *
 * @since 0.2.3
 */
public interface MetricsSinkFactory extends ExtensionPoint {

    /** Opens this run's sink, e.g. creates its file under {@link RunContext#directory()}. */
    Sink open(RunContext run) throws IOException;

    /**
     * An open sink: {@link MetricsSink} plus the close the host calls once when the run ends. Writes what it was
     * given by the time {@link MetricsSink#log} returns or, at the latest, by the time close returns.
     *
     * @since 0.2.3
     */
    interface Sink extends MetricsSink, Closeable {
    }
}
