package org.rlhf4j.api;

import java.util.Map;

/**
 * Receives one line of figures per step. The host delivers each call to every sink {@code run.metrics.sinks}
 * names ({@link MetricsSinkFactory}); by default it is one JSON line of {@code metrics.jsonl}, flushed at once, so a
 * killed run keeps every step it logged, and one TensorBoard event per step. A {@code step < 0} marks an event (a
 * stage's totals), not a step.
 *
 * <p>Thread-safe. Values are numbers, strings or booleans; NaN and infinities are written as strings.
 *
 * @since 0.1.0
 */
public interface MetricsSink {

    /** Logs {@code values} for {@code step} of {@code stage}, with the time added. */
    void log(String stage, long step, Map<String, ?> values);
}
