package org.rlhf4j.spark.engine;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * One SparkContext per JVM, opened on first use and kept for the JVM's life (Spark allows one): the data
 * stages, the benchmarks and the tests of a fork all share it. Under {@code spark-submit} the master and
 * settings spark-submit passes win over the {@code --master} default.
 */
public final class SparkContexts {

    private static JavaSparkContext current;

    private SparkContexts() {
    }

    /** The JVM's context, opened on {@code master} with {@code settings} (Spark keys) unless one is open already. */
    public static synchronized JavaSparkContext get(String master, Map<String, String> settings) {
        if (current != null && !current.sc().isStopped()) {
            return current;
        }
        SparkConf conf = new SparkConf().setIfMissing("spark.master", master).setIfMissing("spark.app.name", "rlhf4j data")
                .setIfMissing("spark.ui.enabled", "false")
                .setIfMissing("spark.driver.extraJavaOptions", "-Dai.djl.offline=true")
                .setIfMissing("spark.executor.extraJavaOptions", "-Dai.djl.offline=true");
        if (conf.get("spark.master").startsWith("local")) {
            // A local master needs no network beyond loopback.
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        settings.forEach(conf::set);
        current = new JavaSparkContext(conf);
        Runtime.getRuntime().addShutdownHook(new Thread(SparkContexts::stop, "rlhf4j-spark-stop"));
        return current;
    }

    /** The JVM's context on {@code master} with Spark's defaults. */
    public static JavaSparkContext get(String master) {
        return get(master, Map.of());
    }

    /** Stops the JVM's context, if open. */
    public static synchronized void stop() {
        if (current != null) {
            current.stop();
            current = null;
        }
    }
}
