package org.rlhf4j.host.batch;

import com.typesafe.config.Config;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.host.model.Generator;

/**
 * The {@code batch} block (rlhf4j/batch.conf): how batch generation and scoring cut their input and sample.
 *
 * @param batchSize records per forward pass, and the unit partitions and shards are cut in
 * @param k answers sampled per prompt by {@code rlhf batch generate}
 * @param generate sampling settings of generated answers
 * @param threadsPerTask PyTorch intra-op threads of a Spark executor JVM; 0 means {@code spark.task.cpus}
 * @param partitions Spark partitions of the input; 0 means {@code spark.default.parallelism}
 */
public record BatchSettings(int batchSize, int k, Generator.Settings generate, int threadsPerTask, int partitions) {

    public static BatchSettings from(Config batch) {
        BatchSettings s = new BatchSettings(batch.getInt("batch-size"), batch.getInt("k"),
                Generator.Settings.from(batch.getConfig("generate")), batch.getInt("threads-per-task"), batch.getInt("partitions"));
        if (s.batchSize < 1) {
            throw new ConfigProblem(batch, "batch-size", "must be at least 1");
        }
        if (s.k < 1) {
            throw new ConfigProblem(batch, "k", "must be at least 1");
        }
        if (s.threadsPerTask < 0 || s.partitions < 0) {
            throw new ConfigProblem(batch, "threads-per-task", "threads-per-task and partitions must be 0 or more");
        }
        return s;
    }

    /** These settings with {@code k} answers per prompt. */
    public BatchSettings withK(int answers) {
        return new BatchSettings(batchSize, answers, generate, threadsPerTask, partitions);
    }
}
