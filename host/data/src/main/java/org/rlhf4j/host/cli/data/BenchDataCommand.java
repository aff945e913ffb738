package org.rlhf4j.host.cli.data;

import org.rlhf4j.host.cli.ExitCodes;
import org.rlhf4j.host.cli.Session;
import org.rlhf4j.host.run.RunDirectory;
import org.rlhf4j.host.shard.FilterEngine;

import com.typesafe.config.Config;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordFilter;
import org.rlhf4j.host.records.RecordJsonl;
import org.rlhf4j.host.data.SyntheticCorpus;
import org.rlhf4j.host.filter.FilterChain;
import org.rlhf4j.host.filter.FilterStage;
import org.rlhf4j.host.filter.FilterStats;
import org.rlhf4j.host.filter.PrivacyCases;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rlhf bench data}: throughput of the filter chain over a generated bilingual corpus
 * ({@link SyntheticCorpus}): MB/s and documents/s of the rule, language and PII filters on one core,
 * with the time share of each filter and the MB per CPU-second of the whole process, of the full chain
 * ({@code filter.chain}, dedup included) on every core, the same on Spark and MinHash dedup
 * both ways when the spark runner is on the class path, and the memory the dedup indexes take per document; and the
 * per-family table of the labelled privacy cases ({@link PrivacyCases}) against the pii and secrets filters as the
 * session's config sets them.
 */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Filter-chain MB/s and docs/s over a generated corpus (default 200 MB), and dedup index memory per document.")
public final class BenchDataCommand implements Callable<Integer> {

    /** The per-record filters the 20 MB/s-per-core target is about. */
    static final List<String> RULES_LANGUAGE_PII = List.of("short-text", "language", "gopher-quality", "gopher-repetition",
            "c4-lines", "fineweb-quality", "pii", "code-secrets");


    @Option(names = "--mb", description = "Corpus size in MB (default: ${DEFAULT-VALUE}).")
    int mb = 200;

    @Option(names = "--single-core-mb", description = "MB of the corpus for the one-core run of rules, language and PII "
            + "(default: ${DEFAULT-VALUE}, the whole default corpus).")
    int singleCoreMb = 200;

    @Option(names = "--threads", description = "Threads for the full chain; 0 = one per core (default: ${DEFAULT-VALUE}).")
    int threads = 0;

    @Option(names = "--config", description = "A run file whose filter settings to use (default: the built-in defaults).")
    Path config;

    @Option(names = "--dir", description = "Where to write the corpus (default: a temporary folder, deleted after).")
    Path dir;

    @Option(names = "--warm-mb", description = "MB of the corpus the one-core run goes over once, untimed, before it is "
            + "timed, so the JIT has compiled the filters (default: ${DEFAULT-VALUE}).")
    int warmMb = 128;

    @Option(names = "--rules-only", description = "Only the one-core run of rules, language and PII (no full chain, dedup memory or Spark).")
    boolean rulesOnly;

    @Option(names = "--master", description = "Spark master for the side-by-side Spark figures, when the spark runner is on the "
            + "class path (default: local[N], N the full chain's threads).")
    String master;

    @Override
    public Integer call() throws Exception {
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("rlhf-bench-data");
        try (Session session = Session.open(config, List.of(), null)) {
            Extensions extensions = session.injector((stage, step, values) -> { }).getInstance(Extensions.class);
            Path corpus = work.resolve("corpus.jsonl");
            long t0 = System.nanoTime();
            long docs = new SyntheticCorpus(42).write(corpus, (long) mb << 20);
            System.out.printf("bench data: generated %d documents, %.1f MB in %.1f s (%s)%n", docs, Files.size(corpus) / 1e6,
                    (System.nanoTime() - t0) / 1e9, corpus);
            Path head = work.resolve("head.jsonl");
            long headDocs = head(corpus, head, (long) singleCoreMb << 20);
            // Warm-up, untimed: loads Lingua's models (lazily, on first use) and lets the JIT compile the filters, so
            // that the timed run measures the filters rather than the compiler threads. On this project's 2-core machine
            // the filters reached their steady speed only after some 60,000 documents (about 130 MB of this corpus):
            // C2 compiles a method after ten thousand calls, then again as new branches and types show up.
            Path warm = work.resolve("warm.jsonl");
            head(corpus, warm, 4L << 20);
            Path jitWarm = work.resolve("warm-jit.jsonl");
            long jitDocs = head(corpus, jitWarm, (long) warmMb << 20);
            run(session.config, extensions, RULES_LANGUAGE_PII, jitWarm, jitDocs, 1, work, null);
            run(session.config, extensions, RULES_LANGUAGE_PII, head, headDocs, 1, work, "rules+language+pii, 1 thread");
            privacyCases(extensions);
            if (rulesOnly) {
                return ExitCodes.OK;
            }
            List<String> chain = session.config.getStringList("filter.chain");
            int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
            run(session.config, extensions, chain, corpus, docs, n, work, "full chain, " + n + " threads");
            indexMemory(extensions, corpus, Math.min(docs, 100_000));
            spark(session.config, extensions, chain, corpus, docs, n, work);
        } finally {
            if (dir == null) {
                RunDirectory.deleteTree(work);
            }
        }
        return ExitCodes.OK;
    }

    private static void run(Config config, Extensions extensions, List<String> names, Path in, long docs, int threads, Path work,
                            String label) throws IOException {
        List<FilterChain.Step> steps = new ArrayList<>();
        List<TimedFilter> timed = new ArrayList<>();
        for (String name : names) {
            RecordFilter f = extensions.create(RecordFilter.class, name);
            if (threads == 1 && !f.needsIndex()) {
                TimedFilter t = new TimedFilter(name, f);
                timed.add(t);
                f = t;
            }
            steps.add(FilterStage.step(config, name, f));
        }
        FilterChain chain = new FilterChain(steps, threads);
        String prefix = label == null ? "warm-" : threads == 1 ? "one-core-" : "";
        long cpu0 = processCpuNanos();
        long start = System.nanoTime();
        chain.run(in, work.resolve(prefix + "out.jsonl"), work.resolve(prefix + "rejected.jsonl"), work.resolve("passes"), x -> { });
        double s = (System.nanoTime() - start) / 1e9;
        double cpu = (processCpuNanos() - cpu0) / 1e9;
        if (label == null) {
            return;
        }
        double mbs = Files.size(in) / 1e6 / s;
        System.out.printf("  %-34s %8.1f MB/s %9.0f docs/s %7.1f MB/s per core  (%.1f MB, %d docs, %.1f s)%n", label, mbs,
                docs / s, mbs / threads, Files.size(in) / 1e6, docs, s);
        // Libraries may use other threads (Lingua scores languages on the common fork-join pool): MB per CPU-second
        // of the whole process (GC and JIT included) is the honest per-core figure.
        System.out.printf("  %-34s %8.1f MB per CPU-second (%.1f CPU-s in %.1f s; load average %.2f)%n", "", Files.size(in) / 1e6 / cpu,
                cpu, s, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        if (!timed.isEmpty()) {
            System.out.println(TimedFilter.shares(timed, docs));
        }
        StringBuilder kept = new StringBuilder("    ");
        for (FilterStats st : chain.stats()) {
            kept.append(st.name()).append(' ').append(st.dropped()).append(st.modified() > 0 ? "/" + st.modified() + "m" : "").append("  ");
        }
        System.out.println(kept + "(dropped[/modified] per filter)");
    }

    /**
     * The labelled privacy cases ({@link PrivacyCases}) against the {@code pii} and {@code code-secrets} filters as the
     * session's config sets them: per family, positives, the share caught, negatives and how many were touched.
     */
    static void privacyCases(Extensions extensions) {
        Map<String, RecordFilter> filters = new TreeMap<>();
        for (String name : List.of("pii", "code-secrets")) {
            filters.put(name, extensions.create(RecordFilter.class, name));
        }
        Map<String, PrivacyCases.Score> scores = PrivacyCases.score(PrivacyCases.load(), filters);
        System.out.println("  privacy cases (" + String.join(", ", PrivacyCases.FILES) + ") against this config's filters:");
        System.out.printf("  %-34s %-40s %9s %7s %9s %8s%n", "", "filter/family", "positives", "recall", "negatives", "touched");
        int positives = 0;
        int caught = 0;
        int negatives = 0;
        int touched = 0;
        for (var e : scores.entrySet()) {
            PrivacyCases.Score s = e.getValue();
            System.out.printf("  %-34s %-40s %9d %7.3f %9d %8d%n", "", e.getKey(), s.positives(), s.recall(), s.negatives(), s.touched());
            positives += s.positives();
            caught += s.caught();
            negatives += s.negatives();
            touched += s.touched();
        }
        System.out.printf("  %-34s %-40s %9d %7.3f %9d %8d%n", "", "all", positives, positives == 0 ? 1 : (double) caught / positives,
                negatives, touched);
    }

    /**
     * The same full chain, and MinHash dedup alone, in-process and on Spark side by side, when the spark runner
     * ({@link FilterEngine} "spark") is on the class path.
     */
    private void spark(Config config, Extensions extensions, List<String> chain, Path corpus, long docs, int threads, Path work)
            throws IOException {
        FilterEngine spark;
        try {
            spark = FilterEngine.find("spark");
        } catch (IllegalArgumentException e) {
            System.out.println("  (Spark figures: " + e.getMessage() + ")");
            return;
        }
        String m = master != null ? master : "local[" + threads + "]";
        // Untimed, as the in-process runs build their filters before timing: starts the SparkContext, builds the chain.
        spark.filter(m, config, extensions, chain, work.resolve("warm.jsonl"), work.resolve("out.jsonl"),
                work.resolve("rejected.jsonl"));
        double mb = Files.size(corpus) / 1e6;
        long start = System.nanoTime();
        spark.filter(m, config, extensions, chain, corpus, work.resolve("out.jsonl"), work.resolve("rejected.jsonl"));
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf("  %-34s %8.1f MB/s %9.0f docs/s %7.1f MB/s per core  (%.1f MB, %d docs, %.1f s)%n",
                "full chain, spark " + m, mb / s, docs / s, mb / s / threads, mb, docs, s);
        start = System.nanoTime();
        run(config, extensions, List.of("minhash-dedup"), corpus, docs, threads, work, null);
        double local = (System.nanoTime() - start) / 1e9;
        start = System.nanoTime();
        spark.filter(m, config, extensions, List.of("minhash-dedup"), corpus, work.resolve("out.jsonl"), work.resolve("rejected.jsonl"));
        System.out.printf("  %-34s %6.1f s in-process (%d threads), %6.1f s spark %s%n", "minhash-dedup alone", local, threads,
                (System.nanoTime() - start) / 1e9, m);
    }

    /** Heap taken by the exact and MinHash indexes per indexed document. */
    private static void indexMemory(Extensions extensions, Path corpus, long limit) {
        for (String name : List.of("exact-dedup", "minhash-dedup")) {
            RecordFilter f = extensions.create(RecordFilter.class, name);
            long before = usedHeap();
            long[] n = {0};
            try (var lines = Files.lines(corpus)) {
                lines.limit(limit).forEach(l -> {
                    Record r = RecordJsonl.fromLine(l, "corpus");
                    f.index(r);
                    n[0]++;
                });
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            long after = usedHeap();
            f.indexDone();
            long done = usedHeap();
            System.out.printf("  %-34s %6.0f bytes/doc while indexing, %6.0f bytes/doc after indexDone (%d docs)%n",
                    name + " index", (after - before) / (double) n[0], (done - before) / (double) n[0], n[0]);
            java.lang.ref.Reference.reachabilityFence(f);
        }
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long head(Path in, Path out, long bytes) throws IOException {
        long n = 0;
        long size = 0;
        try (var r = Files.newBufferedReader(in); var w = Files.newBufferedWriter(out)) {
            String line;
            while (size < bytes && (line = r.readLine()) != null) {
                w.write(line);
                w.newLine();
                size += line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1L;
                n++;
            }
        }
        return n;
    }
}
