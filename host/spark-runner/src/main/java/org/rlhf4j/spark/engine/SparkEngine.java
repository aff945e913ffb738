package org.rlhf4j.spark.engine;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.host.batch.BatchItem;
import org.rlhf4j.host.batch.BatchJob;
import org.rlhf4j.host.batch.BatchEngine;
import org.rlhf4j.host.shard.FilterEngine;
import org.rlhf4j.spark.batch.SparkBatch;
import org.rlhf4j.spark.filter.ExecutorFilters;
import org.rlhf4j.spark.filter.SparkFilterChain;

/** {@code --engine spark}: the filter stage and batch jobs on Spark, found by the host through ServiceLoader. */
public final class SparkEngine implements FilterEngine, BatchEngine {

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Stage filterStage(String master, Config config, Extensions extensions) {
        ExecutorFilters.register(ExecutorFilters.text(config), extensions);
        return new SparkFilterStage(master, config);
    }

    @Override
    public void filter(String master, Config config, Extensions extensions, List<String> chain, Path in, Path out, Path rejected)
            throws IOException {
        ExecutorFilters.register(ExecutorFilters.text(config), extensions);
        new SparkFilterChain(SparkContexts.get(master), config, chain, 0).run(in, out, rejected);
    }

    @Override
    public List<List<String>> batch(String master, BatchJob job, List<List<BatchItem>> batches) {
        return SparkBatch.run(SparkContexts.get(master), job, batches);
    }
}
