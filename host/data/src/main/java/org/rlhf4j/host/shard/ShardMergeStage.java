package org.rlhf4j.host.shard;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.stage.Progress;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.host.filter.FilterChain;
import org.rlhf4j.host.filter.FilterStage;
import org.rlhf4j.host.filter.FilterStats;
import org.rlhf4j.host.report.DataReport;

/**
 * The filter stage of {@code rlhf data CONFIG --merge N}: joins shards 0..N-1 of {@link FilterShards} and runs the
 * rest of the chain (from its first indexing filter on) over all their survivors, writing the filter stage's usual
 * outputs: {@code data/filtered.jsonl}, {@code data/rejected.jsonl} (the shards' rejects in input order, then the
 * later filters', as one in-process run writes them pass by pass) and the report's filter section (per-filter
 * counts summed over the shards; details only of the filters that ran in the merge). Built once per command.
 */
public final class ShardMergeStage implements Stage {

    private final Config config;
    private final List<FilterChain.Step> steps;
    private final int shards;

    public ShardMergeStage(Config config, Extensions extensions, int shards) {
        this.config = config;
        this.steps = FilterShards.steps(config, extensions);
        this.shards = shards;
    }

    @Override
    public void run(StageContext ctx) throws IOException {
        Path root = ctx.run().directory();
        Path in = FilterShards.input(config, root);
        int prefix = FilterShards.prefix(steps);
        List<String> prefixNames = steps.subList(0, prefix).stream().map(FilterChain.Step::name).toList();
        long records = FilterShards.records(in);
        List<FilterShards.ShardInfo> infos = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            infos.add(FilterShards.info(root, i, shards, records, prefixNames));
        }
        long start = System.nanoTime();
        Path work = Files.createDirectories(ctx.resumeDirectory().resolve("passes"));
        Path survivors = work.resolve("shard-survivors.jsonl");
        Path out = ctx.staging().resolve(FilterStage.OUTPUT);
        Path rejected = ctx.staging().resolve(FilterStage.REJECTED);
        Files.createDirectories(out.getParent());
        concatenate(root, FilterShards.KEPT, survivors);
        concatenate(root, FilterShards.REJECTED, rejected);
        List<FilterChain.Step> rest = steps.subList(prefix, steps.size());
        int threads = config.getInt("filter.threads");
        FilterChain chain = new FilterChain(rest, threads);
        Path restRejected = work.resolve("rest-rejected.jsonl");
        try (Progress progress = ctx.progress("filter (merge of " + shards + " shards)", -1)) {
            chain.run(survivors, out, restRejected, work, progress::step);
        }
        try (OutputStream o = Files.newOutputStream(rejected, StandardOpenOption.APPEND)) {
            Files.copy(restRejected, o);
        }
        Files.deleteIfExists(restRejected);
        Files.deleteIfExists(survivors);
        List<FilterStats> stats = new ArrayList<>(FilterShards.merged(infos, prefixNames));
        stats.addAll(chain.stats());
        double seconds = (System.nanoTime() - start) / 1e9;
        DataReport report = DataReport.load(ctx);
        Map<String, Object> section = FilterStage.section(stats, rest, in, out, seconds, threads);
        section.put("shards", shards);
        report.put("filter", section);
        report.write(ctx);
        ctx.run().metrics().log(ctx.stage(), -1, Map.of("seconds", seconds, "shards", shards));
    }

    /** Shard files named {@code name}, in shard order, into {@code out}. */
    private void concatenate(Path root, String name, Path out) throws IOException {
        try (OutputStream o = Files.newOutputStream(out)) {
            for (int i = 0; i < shards; i++) {
                Files.copy(FilterShards.folder(root, i, shards).resolve(name), o);
            }
        }
    }
}
