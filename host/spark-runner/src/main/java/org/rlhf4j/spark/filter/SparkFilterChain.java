package org.rlhf4j.spark.filter;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.host.records.RecordJsonl;
import org.rlhf4j.host.filter.FilterChain;
import org.rlhf4j.host.report.ReportContributor;
import scala.Tuple2;

/**
 * {@code FilterChain} on Spark: the same filters (built on each executor by {@link ExecutorFilters}), the same
 * survivors, rejected records, reasons and counts, the output files in the same order.
 *
 * <p>The chain splits at its indexing filters (dedup) into segments. A segment without one runs its filters
 * over each partition ({@code mapPartitions}). A segment that starts with one first groups its input: every
 * record's {@link DedupKeys} (MinHash band buckets, exact-dedup hashes) are shuffled so each key meets all
 * its records, the records sharing a key are joined into components on the driver (union-find over the
 * edges: one per duplicate, not per record), and the records are partitioned by component, so a
 * partition holds whole components. Each partition then gets a fresh instance of the filter, indexes its
 * records and decides them: the filter's result for a record depends only on its component, so it equals
 * the in-process result over the whole corpus.
 */
public final class SparkFilterChain {

    private final JavaSparkContext sc;
    private final String configText;
    private final List<String> names;
    private final int partitions;
    private ChainStats stats;
    private Map<String, Object> details = Map.of();

    public SparkFilterChain(JavaSparkContext sc, Config config, List<String> names, int partitions) {
        this.sc = sc;
        this.configText = ExecutorFilters.text(config);
        this.names = List.copyOf(names);
        this.partitions = partitions > 0 ? partitions : sc.defaultParallelism();
    }

    /** Filters the record file {@code input} (a path every executor can read) into {@code output} and {@code rejected}. */
    public void run(Path input, Path output, Path rejected) throws IOException {
        List<FilterChain.Step> steps = ExecutorFilters.of(configText, names).steps();
        stats = new ChainStats(steps.size());
        Map<String, Map<String, Object>> merged = new LinkedHashMap<>();
        JavaPairRDD<Long, String> current = sc.textFile(input.toUri().toString(), partitions).zipWithIndex()
                .filter(t -> !t._1().isBlank()).mapToPair(t -> new Tuple2<>(t._2(), t._1()));
        List<JavaRDD<?>> persisted = new ArrayList<>();
        List<JavaPairRDD<Long, String>> rejectedParts = new ArrayList<>();
        // Segments start at 0 and at every indexing filter, as FilterChain's passes do.
        List<Integer> bounds = new ArrayList<>(List.of(0));
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).filter().needsIndex()) {
                bounds.add(i);
            }
        }
        bounds.add(steps.size());
        for (int segment = 0; segment + 1 < bounds.size(); segment++) {
            int from = bounds.get(segment);
            int to = bounds.get(segment + 1);
            if (from == to) {
                continue;
            }
            JavaRDD<Outcome> outcomes = steps.get(from).filter().needsIndex()
                    ? indexed(current, steps, from, to, merged, persisted) : plain(current, from, to);
            outcomes.persist(StorageLevel.MEMORY_AND_DISK());
            persisted.add(outcomes);
            stats.merge(outcomes.aggregate(new ChainStats(steps.size()), ChainStats::add, ChainStats::merge));
            long seg = segment;
            rejectedParts.add(outcomes.filter(o -> !o.kept()).mapToPair(o -> new Tuple2<>((seg << 40) | o.idx(), o.line())));
            current = outcomes.filter(Outcome::kept).mapToPair(o -> new Tuple2<>(o.idx(), o.line()));
        }
        JavaPairRDD<Long, String> rejectedLines = rejectedParts.stream().reduce(JavaPairRDD::union)
                .orElse(current.filter(t -> false));
        write(current, output);
        write(rejectedLines, rejected);
        persisted.forEach(JavaRDD::unpersist);
        details = new LinkedHashMap<>(merged);
    }

    /** A segment of per-record filters: each partition through steps {@code from} to {@code to}. */
    private JavaRDD<Outcome> plain(JavaPairRDD<Long, String> in, int from, int to) {
        String text = configText;
        List<String> chain = names;
        return in.mapPartitions(it -> {
            List<FilterChain.Step> steps = ExecutorFilters.of(text, chain).steps();
            return map(it, t -> Outcome.of(t._1(), RecordJsonl.fromLine(t._2(), "input line " + (t._1() + 1)), steps, from, to));
        });
    }

    /** A segment that starts with an indexing filter: grouped by component, one fresh filter per partition. */
    private JavaRDD<Outcome> indexed(JavaPairRDD<Long, String> in, List<FilterChain.Step> steps, int from, int to,
                                     Map<String, Map<String, Object>> merged, List<JavaRDD<?>> persisted) {
        FilterChain.Step head = steps.get(from);
        Config config = ConfigFactory.parseString(configText);
        DedupKeys keys = DedupKeys.of(head.filter(), config.hasPath(head.name()) ? config.getConfig(head.name()) : ConfigFactory.empty());
        JavaPairRDD<Long, Tuple2<Long, String>> grouped;
        int parts;
        if (keys == null) {
            grouped = in.mapToPair(t -> new Tuple2<>(0L, t));
            parts = 1;
        } else {
            Broadcast<Map<Long, Long>> roots = sc.broadcast(components(in, head, keys));
            grouped = in.mapToPair(t -> new Tuple2<>(roots.value().getOrDefault(t._1(), t._1()), t));
            parts = partitions;
        }
        String text = configText;
        List<String> chain = names;
        JavaRDD<Tuple2<Outcome, Map<String, Object>>> out = grouped.partitionBy(new HashPartitioner(parts)).mapPartitions(it -> {
            List<FilterChain.Step> local = new ArrayList<>(ExecutorFilters.of(text, chain).steps());
            FilterChain.Step fresh = ExecutorFilters.of(text, chain).fresh(from);
            local.set(from, fresh);
            List<Record> records = new ArrayList<>();
            List<Long> positions = new ArrayList<>();
            List<Tuple2<Long, String>> rows = new ArrayList<>();
            it.forEachRemaining(t -> rows.add(t._2()));
            rows.sort(Comparator.comparing(Tuple2::_1));
            for (Tuple2<Long, String> row : rows) {
                Record r = RecordJsonl.fromLine(row._2(), "input line " + (row._1() + 1));
                records.add(r);
                positions.add(row._1());
                if (Outcome.applies(fresh, r)) {
                    fresh.filter().index(r);
                }
            }
            fresh.filter().indexDone();
            List<Tuple2<Outcome, Map<String, Object>>> result = new ArrayList<>(records.size() + 1);
            for (int i = 0; i < records.size(); i++) {
                result.add(new Tuple2<>(Outcome.of(positions.get(i), records.get(i), local, from, to), null));
            }
            if (fresh.filter() instanceof ReportContributor rc) {
                Map<String, Object> scalars = new HashMap<>();
                rc.report().forEach((k, v) -> {
                    if (v instanceof Number || v instanceof String || v instanceof Boolean) {
                        scalars.put(k, v);
                    }
                });
                result.add(new Tuple2<>(null, scalars));
            }
            return result.iterator();
        });
        out.persist(StorageLevel.MEMORY_AND_DISK());
        persisted.add(out);
        Map<String, Object> detail = new LinkedHashMap<>();
        for (Map<String, Object> m : out.filter(t -> t._2() != null).map(Tuple2::_2).collect()) {
            m.forEach((k, v) -> {
                if (v instanceof Number n) {
                    detail.merge(k, n.longValue(), (a, b) -> ((Number) a).longValue() + ((Number) b).longValue());
                } else {
                    detail.putIfAbsent(k, v);
                }
            });
        }
        merged.put(head.name(), detail);
        return out.filter(t -> t._1() != null).map(Tuple2::_1);
    }

    /** Component root (smallest input position) per record that shares a key with another; others are alone. */
    private Map<Long, Long> components(JavaPairRDD<Long, String> in, FilterChain.Step head, DedupKeys keys) {
        String text = configText;
        List<String> chain = names;
        int step = names.indexOf(head.name());
        List<Tuple2<Long, Long>> edges = in.flatMapToPair(t -> {
            Record r = RecordJsonl.fromLine(t._2(), "input line " + (t._1() + 1));
            List<Tuple2<Long, Long>> out = new ArrayList<>();
            if (Outcome.applies(ExecutorFilters.of(text, chain).steps().get(step), r)) {
                for (long k : keys.of(r)) {
                    out.add(new Tuple2<>(k, t._1()));
                }
            }
            return out.iterator();
        }).groupByKey(partitions).flatMapToPair(g -> {
            List<Tuple2<Long, Long>> out = new ArrayList<>();
            long first = Long.MAX_VALUE;
            for (long p : g._2()) {
                first = Math.min(first, p);
            }
            for (long p : g._2()) {
                if (p != first) {
                    out.add(new Tuple2<>(first, p));
                }
            }
            return out.iterator();
        }).distinct(partitions).collect();
        Map<Long, Long> parent = new HashMap<>();
        for (Tuple2<Long, Long> e : edges) {
            long a = find(parent, e._1());
            long b = find(parent, e._2());
            if (a != b) {
                parent.put(Math.max(a, b), Math.min(a, b));
            }
        }
        Map<Long, Long> roots = new HashMap<>();
        for (Long p : parent.keySet()) {
            roots.put(p, find(parent, p));
        }
        return roots;
    }

    private static long find(Map<Long, Long> parent, long x) {
        Long p;
        while ((p = parent.get(x)) != null && p != x) {
            Long gp = parent.get(p);
            if (gp != null) {
                parent.put(x, gp);
            }
            x = p;
        }
        return x;
    }

    private static <A, B> Iterator<B> map(Iterator<A> in, java.util.function.Function<A, B> f) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return in.hasNext();
            }

            @Override
            public B next() {
                return f.apply(in.next());
            }
        };
    }

    /** Writes the lines in key order to one file on the driver. */
    private void write(JavaPairRDD<Long, String> lines, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            Iterator<String> it = lines.sortByKey(true, partitions).values().toLocalIterator();
            while (it.hasNext()) {
                w.write(it.next());
                w.newLine();
            }
        }
    }

    /** Per filter, its line of the report (as the in-process runner writes it). */
    public List<Object> filterReports() {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            out.add(stats.report(i, names.get(i)));
        }
        return out;
    }

    /** Records that entered the chain. */
    public long recordsIn() {
        return names.isEmpty() ? 0 : stats.in(0);
    }

    /** The indexing filters' own report sections: numbers summed over the partitions, other scalars as they are, lists left out. */
    public Map<String, Object> details() {
        return details;
    }

    public int partitions() {
        return partitions;
    }
}
