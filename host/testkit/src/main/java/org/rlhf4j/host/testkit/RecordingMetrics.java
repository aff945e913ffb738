package org.rlhf4j.host.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rlhf4j.api.MetricsSink;

/**
 * A {@link MetricsSink} that keeps every line it is given, for assertions: what a stage or an extension logged,
 * in order. Thread-safe, as the api requires.
 */
public final class RecordingMetrics implements MetricsSink {

    /** One {@link MetricsSink#log} call. */
    public record Line(String stage, long step, Map<String, ?> values) {
    }

    private final List<Line> lines = new ArrayList<>();

    @Override
    public synchronized void log(String stage, long step, Map<String, ?> values) {
        lines.add(new Line(stage, step, Map.copyOf(values)));
    }

    /** Every line logged so far, in order. */
    public synchronized List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The lines of {@code stage}, in order. */
    public synchronized List<Line> lines(String stage) {
        return lines.stream().filter(l -> l.stage().equals(stage)).toList();
    }

    /** Every value logged under {@code key} by {@code stage}, in order (lines without the key are skipped). */
    public synchronized List<Object> values(String stage, String key) {
        List<Object> out = new ArrayList<>();
        for (Line l : lines(stage)) {
            if (l.values().containsKey(key)) {
                out.add(l.values().get(key));
            }
        }
        return out;
    }

    /** The last value {@code stage} logged under {@code key}; fails naming what was logged when there is none. */
    public synchronized Object last(String stage, String key) {
        List<Object> all = values(stage, key);
        if (all.isEmpty()) {
            throw new AssertionError("stage " + stage + " logged no '" + key + "'; logged: " + lines);
        }
        return all.get(all.size() - 1);
    }

    /** {@link #last} as a number. */
    public double lastNumber(String stage, String key) {
        Object v = last(stage, key);
        if (!(v instanceof Number n)) {
            throw new AssertionError("stage " + stage + " logged '" + key + "' = " + v + ", not a number");
        }
        return n.doubleValue();
    }
}
