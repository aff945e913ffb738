package org.rlhf4j.spark.batch;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.batch.BatchItem;
import org.rlhf4j.host.batch.BatchJob;
import org.rlhf4j.host.batch.BatchSettings;
import org.rlhf4j.host.batch.BatchTask;

/**
 * A batch job (generation, scoring, evaluation) on Spark executors: the driver's batches, fixed by
 * {@code BatchInput}, are spread over partitions of whole batches ({@code parallelize} keeps their order); each
 * executor JVM builds the job's {@link BatchTask} once and loads each checkpoint once, on its first task, and runs
 * the very function the in-process command runs. The output lines come back to the driver in batch order.
 */
public final class SparkBatch {

    private SparkBatch() {
    }

    /** Each batch's output lines, in batch order. */
    public static List<List<String>> run(JavaSparkContext sc, BatchJob job, List<List<BatchItem>> batches) {
        BatchSettings settings = BatchSettings.from(ConfigFactory.parseString(job.configText()).resolve().getConfig("batch"));
        int partitions = Math.max(1, Math.min(batches.size(),
                settings.partitions() > 0 ? settings.partitions() : sc.defaultParallelism()));
        List<List<BatchItem>> copy = new ArrayList<>();
        batches.forEach(b -> copy.add(new ArrayList<>(b)));
        try {
            return sc.parallelize(copy, partitions).mapPartitions(new RunBatches(job, settings.threadsPerTask())).collect();
        } catch (RuntimeException e) {
            throw failure(e);
        }
    }

    /**
     * What a failed job tells the user: the executor's {@link StageFailure} (a bad line, a prompt too long for the
     * context), which Spark passes back only as text in its own exception's message, else Spark's first line.
     */
    static StageFailure failure(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StageFailure sf) {
                return sf;
            }
        }
        String message = String.valueOf(e.getMessage());
        String marker = StageFailure.class.getName() + ": ";
        int at = message.indexOf(marker);
        if (at >= 0) {
            String rest = message.substring(at + marker.length());
            return new StageFailure(rest.lines().findFirst().orElse(rest), e);
        }
        return new StageFailure("the batch job failed on Spark: " + message.lines().findFirst().orElse(message), e);
    }

    /** The executor side: one partition's batches through this JVM's task, lazily, one batch at a time. */
    static final class RunBatches implements FlatMapFunction<Iterator<List<BatchItem>>, List<String>> {

        private final BatchJob job;
        private final int threadsPerTask;

        RunBatches(BatchJob job, int threadsPerTask) {
            this.job = job;
            this.threadsPerTask = threadsPerTask;
        }

        @Override
        public Iterator<List<String>> call(Iterator<List<BatchItem>> batches) {
            limitThreads(threadsPerTask > 0 ? threadsPerTask : TaskContext.get().cpus());
            BatchTask task = BatchTask.of(job);
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return batches.hasNext();
                }

                @Override
                public List<String> next() {
                    return task.run(batches.next());
                }
            };
        }
    }

    /**
     * Sets PyTorch's intra-op threads for this JVM before its engine starts (they are read once): each task's
     * forward passes then use {@code threads} cores. A count the executor's JVM options already give
     * ({@code -Dai.djl.pytorch.num_threads}) wins; an engine already started (local mode, the driver) keeps its own.
     */
    static synchronized void limitThreads(int threads) {
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        System.setProperty("ai.djl.offline", "true");
    }
}
