package org.rlhf4j.host.metrics;

import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.MetricsSinkFactory;
import org.rlhf4j.api.RunContext;

/**
 * The sink {@code jsonl} of {@code run.metrics.sinks}: {@code metrics.jsonl} in the run directory, one JSON line per
 * call ({@link JsonlMetrics}), which the run report and {@code rlhf compare} read.
 */
@Extension
@ExtensionName("jsonl")
public final class JsonlSinkFactory implements MetricsSinkFactory {

    @Override
    public Sink open(RunContext run) {
        return new JsonlMetrics(run.directory().resolve("metrics.jsonl"));
    }
}
