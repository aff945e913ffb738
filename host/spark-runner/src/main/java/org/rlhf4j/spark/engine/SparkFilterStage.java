package org.rlhf4j.spark.engine;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.host.records.RecordJsonl;
import org.rlhf4j.host.filter.FilterStage;
import org.rlhf4j.host.report.DataReport;
import org.rlhf4j.spark.filter.SparkFilterChain;

/**
 * The {@code filter} stage on Spark: {@code filter.chain} over {@code filter.input} with {@link SparkFilterChain},
 * the same {@code data/filtered.jsonl} and {@code data/rejected.jsonl} as the in-process stage, and the filter
 * section of the data report with the same per-filter lines (the indexing filters' details summed over
 * partitions). The input must be readable by every executor (a shared run directory, or a local master).
 */
final class SparkFilterStage implements Stage {

    private final String master;
    private final Config config;

    SparkFilterStage(String master, Config config) {
        this.master = master;
        this.config = config;
    }

    @Override
    public void run(StageContext ctx) throws IOException {
        Config settings = config.getConfig("filter");
        String input = settings.getString("input");
        Path in = ctx.input(input);
        Path out = ctx.staging().resolve(FilterStage.OUTPUT);
        Files.createDirectories(out.getParent());
        JavaSparkContext sc = SparkContexts.get(master);
        SparkFilterChain chain = new SparkFilterChain(sc, config, settings.getStringList("chain"), 0);
        long start = System.nanoTime();
        chain.run(in.toAbsolutePath(), out, ctx.staging().resolve(FilterStage.REJECTED));
        double seconds = (System.nanoTime() - start) / 1e9;
        DataReport report = DataReport.load(ctx);
        report.put("filter", section(chain, sc, in, out, seconds));
        report.write(ctx);
        ctx.run().metrics().log(ctx.stage(), -1, Map.of("seconds", seconds, "mb-per-s", Files.size(in) / 1e6 / seconds));
    }

    private static Map<String, Object> section(SparkFilterChain chain, JavaSparkContext sc, Path in, Path out, double seconds)
            throws IOException {
        Map<String, Long> languages = new TreeMap<>();
        Map<String, Long> kinds = new TreeMap<>();
        long[] kept = {0};
        RecordJsonl.read(out, r -> {
            kept[0]++;
            languages.merge(r.meta().getOrDefault("lang", "(not identified)"), 1L, Long::sum);
            kinds.merge(r.kind().name().toLowerCase(Locale.ROOT), 1L, Long::sum);
        });
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("records-in", chain.filterReports().isEmpty() ? kept[0] : chain.recordsIn());
        s.put("records-kept", kept[0]);
        s.put("seconds", Math.round(seconds * 100) / 100.0);
        s.put("mb-per-s", Math.round(Files.size(in) / 1e6 / Math.max(seconds, 1e-9) * 100) / 100.0);
        s.put("threads", sc.defaultParallelism());
        s.put("engine", "spark " + sc.version() + " on " + sc.master());
        s.put("partitions", chain.partitions());
        s.put("filters", chain.filterReports());
        s.put("details", chain.details());
        s.put("languages-kept", languages);
        s.put("kinds-kept", kinds);
        return s;
    }
}
