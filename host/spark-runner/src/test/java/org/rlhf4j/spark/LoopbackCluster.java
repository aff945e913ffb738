package org.rlhf4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.rlhf4j.spark.engine.SparkContexts;

/**
 * A Spark standalone cluster on 127.0.0.1 for the tests: a master and a worker, each its own JVM started from
 * the Spark jars on the test class path (no Spark distribution), and the fork's one SparkContext connected
 * to it, whose executor (a third JVM, launched by the worker) gets the test class path. Started once per
 * fork, stopped when the fork exits.
 */
public final class LoopbackCluster {

    private static String master;

    private LoopbackCluster() {
    }

    /** The fork's context on the loopback cluster, started on first use, with its executor registered. */
    public static synchronized JavaSparkContext context() {
        if (master == null) {
            master = start();
        }
        JavaSparkContext sc = SparkContexts.get(master, Map.of(
                "spark.driver.host", "127.0.0.1",
                "spark.driver.bindAddress", "127.0.0.1",
                "spark.executor.extraClassPath", System.getProperty("java.class.path"),
                "spark.executor.memory", "1g",
                "spark.default.parallelism", "4",
                "spark.ui.enabled", "false"));
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (sc.sc().getExecutorMemoryStatus().size() < 2) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no executor registered with " + master + " in 90 s; see target/loopback-cluster/*.log");
            }
            sleep(200);
        }
        return sc;
    }

    /** The master's URL ({@code spark://127.0.0.1:PORT}), the cluster started on first use. */
    public static synchronized String master() {
        context();
        return master;
    }

    private static String start() {
        try {
            Path dir = Files.createDirectories(Path.of("target/loopback-cluster").toAbsolutePath());
            Path home = Files.createDirectories(dir.resolve("spark-home"));
            int port = freePort();
            String url = "spark://127.0.0.1:" + port;
            List<Process> processes = new ArrayList<>();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> processes.forEach(Process::destroy), "loopback-cluster-stop"));
            processes.add(jvm(dir, home, "master", "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(freePort())));
            waitForPort(port, processes.get(0));
            processes.add(jvm(dir, home, "worker", "org.apache.spark.deploy.worker.Worker",
                    "--host", "127.0.0.1", "--webui-port", String.valueOf(freePort()), "--cores", "2", "--memory", "1g",
                    "--work-dir", Files.createDirectories(dir.resolve("work")).toString(), url));
            return url;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Process jvm(Path dir, Path home, String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        // The worker builds its executors' command line as a Spark distribution would: these let it do so without one.
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_TESTING", "1");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_LOCAL_DIRS", dir.resolve("local").toString());
        return pb.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void waitForPort(int port, Process master) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!master.isAlive()) {
                throw new IllegalStateException("the Spark master exited; see target/loopback-cluster/master.log");
            }
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                sleep(200);
            }
        }
        throw new IllegalStateException("the Spark master did not listen on 127.0.0.1:" + port + " in 60 s");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
