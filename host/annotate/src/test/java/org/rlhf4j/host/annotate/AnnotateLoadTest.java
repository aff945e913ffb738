package org.rlhf4j.host.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.host.annotate.store.Accounts.Role;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.rlhf4j.host.annotate.store.LabelStore;
import org.rlhf4j.host.annotate.store.TaskStore.Status;

/**
 * 20 annotators submit 50 labels each, concurrently, to {@code rlhf annotate serve} running as its own
 * process; the server is killed with SIGKILL mid-load and started again. Every label the server
 * acknowledged is in the store right after the kill, and at the end each acknowledged label is stored
 * exactly once (clients retry unacknowledged submissions with the same submission id).
 */
class AnnotateLoadTest {

    private static final int ANNOTATORS = 20;
    private static final int LABELS_EACH = 50;
    private static final Pattern SERVING = Pattern.compile("serving (http://127\\.0\\.0\\.1:\\d+/)");

    @TempDir
    Path dir;

    private Process server;
    private volatile String base;

    @AfterEach
    void stop() {
        if (server != null) {
            server.destroyForcibly();
        }
    }

    private String startServer(Path conf, int n) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path out = dir.resolve("server-" + n + ".out");
        server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", cp, AnnotateMain.class.getName(),
                "annotate", "serve", conf.toString(), "--port", "0")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = SERVING.matcher(Files.exists(out) ? Files.readString(out) : "");
            if (m.find()) {
                return m.group(1);
            }
            if (!server.isAlive()) {
                throw new AssertionError("the server exited: " + Files.readString(out));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the server did not start: " + Files.readString(out));
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void everyAcknowledgedLabelIsStoredExactlyOnceAcrossAKill9() throws Exception {
        Path conf = dir.resolve("serve.conf");
        Files.writeString(conf, "run { name = load, output = \"" + dir.resolve("run") + "\" }\n"
                + "annotate { overlap = " + ANNOTATORS + ", threads = 8 }\n");
        Map<String, String> tokens = new ConcurrentHashMap<>();
        Files.createDirectories(dir.resolve("run"));
        String url = "jdbc:sqlite:" + dir.resolve("run/annotations.db");
        try (AnnotationStore store = AnnotationStore.open(url)) {
            for (int a = 0; a < ANNOTATORS; a++) {
                tokens.put("a" + a, store.accounts().create("a" + a, Role.ANNOTATOR));
            }
            for (int t = 0; t < LABELS_EACH; t++) {
                store.tasks().put(new AnnotationTask("t" + t, AnnotationTask.Kind.RANK, "Prompt " + t,
                        List.of("one", "two", "three", "four"), Map.of()), null, 0);
                store.tasks().setStatus("t" + t, Status.QUEUED, "test", "");
            }
        }
        base = startServer(conf, 1);
        Set<String> acked = ConcurrentHashMap.newKeySet();
        List<String> refused = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(ANNOTATORS);
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int a = 0; a < ANNOTATORS; a++) {
            String name = "a" + a;
            workers.add(pool.submit(() -> annotate(name, tokens.get(name), acked, refused)));
        }
        while (acked.size() < ANNOTATORS * LABELS_EACH * 2 / 5) {
            if (workers.stream().allMatch(Future::isDone)) {
                throw new AssertionError("the annotators stopped early: " + refused + " " + Files.readString(dir.resolve("server-1.out")));
            }
            Thread.sleep(5);
        }
        server.destroyForcibly().waitFor();
        double beforeKill = acked.size() / ((System.nanoTime() - start) / 1e9);
        Set<String> ackedAtKill = new HashSet<>(acked);
        try (AnnotationStore store = AnnotationStore.open(url)) {
            Set<String> stored = new HashSet<>();
            store.labels().all().forEach(s -> stored.add(s.submissionId()));
            assertTrue(stored.containsAll(ackedAtKill), "acknowledged labels lost in the kill");
        }
        base = startServer(conf, 2);
        for (Future<?> w : workers) {
            w.get(100, TimeUnit.SECONDS);
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(refused.isEmpty(), "refused: " + refused);
        assertEquals(ANNOTATORS * LABELS_EACH, acked.size());
        try (AnnotationStore store = AnnotationStore.open(url)) {
            List<LabelStore.StoredLabel> all = store.labels().all();
            assertEquals(ANNOTATORS * LABELS_EACH, all.size(), "a label was stored twice or lost");
            Set<String> ids = new HashSet<>();
            Set<String> pairs = new HashSet<>();
            for (LabelStore.StoredLabel s : all) {
                ids.add(s.submissionId());
                pairs.add(s.label().taskId() + "/" + s.label().annotator());
            }
            assertEquals(acked, ids);
            assertEquals(ANNOTATORS * LABELS_EACH, pairs.size(), "an annotator labelled one task twice");
        }
        System.out.printf("load: %d labels from %d annotators in %.1f s (%.0f labels/s before the kill, %d acknowledged"
                + " at the kill, all present after it)%n", acked.size(), ANNOTATORS, seconds, beforeKill, ackedAtKill.size());
    }

    /** One annotator: next task, label it, post until acknowledged (retrying with the same id while the server is down). */
    private void annotate(String name, String token, Set<String> acked, List<String> refused) {
        Random random = new Random(name.hashCode());
        int done = 0;
        while (done < LABELS_EACH) {
            JsonNode task = retry(() -> {
                AnnotateFixture.Reply r = AnnotateFixture.call(base, "POST", "/api/tasks/next?kind=rank", token, null);
                return r.status() == 200 ? r.body().path("task") : null;
            });
            if (task.isNull()) {
                synchronized (refused) {
                    refused.add(name + ": no task after " + done);
                }
                return;
            }
            // a random ranking with ties, numbered 1, 2, 3 ... without gaps, never all tied
            List<Integer> drawn = List.of(1 + random.nextInt(4), 1 + random.nextInt(4), 1 + random.nextInt(4), 1 + random.nextInt(4));
            List<Integer> distinct = new ArrayList<>(new java.util.TreeSet<>(drawn));
            List<Integer> ranks = distinct.size() == 1 ? List.of(1, 2, 2, 2) : drawn.stream().map(r -> distinct.indexOf(r) + 1).toList();
            Map<String, Object> label = Map.of("submission_id", name + "-label-" + task.path("id").asText(), "task_id",
                    task.path("id").asText(), "task_version", task.path("version").asInt(), "ranks", ranks,
                    "ratings", List.of(4, 4, 4, 4));
            AnnotateFixture.Reply r = retry(() -> {
                AnnotateFixture.Reply reply = AnnotateFixture.call(base, "POST", "/api/labels", token, label);
                return reply.status() >= 500 ? null : reply;
            });
            if (r.status() != 200 && r.status() != 201) {
                synchronized (refused) {
                    refused.add(name + ": " + r.status() + " " + r.body());
                }
                return;
            }
            acked.add((String) label.get("submission_id"));
            done++;
        }
    }

    private interface Call<T> {
        T run() throws Exception;
    }

    /** Repeats a call while the server is unreachable (killed, restarting). */
    private static <T> T retry(Call<T> call) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            try {
                T result = call.run();
                if (result != null) {
                    return result;
                }
            } catch (IOException e) {
                // the server is down: try again
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the server stayed unreachable");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
