package org.rlhf4j.host.shard;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.rlhf4j.host.run.RunDirectory;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.data.RecordFilter;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.filter.FilterChain;
import org.rlhf4j.host.filter.FilterStage;
import org.rlhf4j.host.filter.FilterStats;

/**
 * The filter stage split for independent jobs ({@code rlhf data CONFIG --shard i/N}, then {@code --merge N}).
 *
 * <p>The chain's per-record filters, up to its first indexing filter (dedup), are what costs; they are also what
 * can run on a part of the corpus alone. Shard i takes the i-th contiguous run of the records of
 * {@code filter.input} (by record count), runs that prefix of the chain over it and writes
 * {@code data/shards/filter-i-of-N/}: {@code kept.jsonl}, {@code rejected.jsonl} and {@code stats.json}. The merge
 * ({@link ShardMergeStage}) concatenates the shards in order and runs the rest of the chain (every dedup, and what
 * follows it) over all survivors at once, so its outputs and per-filter counts are those of one unsharded run:
 * dedup is never only within a shard.
 */
public final class FilterShards {

    static final String DIR = "data/shards";
    static final String KEPT = "kept.jsonl";
    static final String REJECTED = "rejected.jsonl";
    static final String STATS = "stats.json";
    static final ObjectMapper JSON = new ObjectMapper();

    /** What a shard wrote about itself: its place and its prefix filters' stats. */
    record ShardInfo(int index, int count, long records, long from, long to, List<StepStats> stats) {
    }

    /** One filter's stats as a shard stores them. */
    record StepStats(String name, long in, long kept, long dropped, long modified, Map<String, Long> reasons,
                     Map<String, List<String>> examples) {
        static StepStats of(FilterStats s) {
            return new StepStats(s.name(), s.in(), s.kept(), s.dropped(), s.modified(), s.reasons(), s.examples());
        }

        FilterStats stats() {
            return FilterStats.of(name, in, kept, dropped, modified, reasons, examples);
        }
    }

    private FilterShards() {
    }

    /** The steps of {@code filter.chain}, as the filter stage builds them. */
    static List<FilterChain.Step> steps(Config config, Extensions extensions) {
        List<String> names = config.getStringList("filter.chain");
        List<RecordFilter> filters = extensions.selectAll(RecordFilter.class, "filter.chain");
        List<FilterChain.Step> steps = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            steps.add(FilterStage.step(config, names.get(i), filters.get(i)));
        }
        return steps;
    }

    /** How many steps come before the first indexing filter (all of them when none indexes). */
    static int prefix(List<FilterChain.Step> steps) {
        int i = 0;
        while (i < steps.size() && !steps.get(i).filter().needsIndex()) {
            i++;
        }
        return i;
    }

    /** {@code filter.input}, by the run's path rule ({@link RunContext#resolve}). */
    static Path input(Config config, Path runDirectory) {
        return RunContext.resolve(runDirectory, config.getString("filter.input"));
    }

    /** The folder of shard {@code i} of {@code n}. */
    static Path folder(Path runDirectory, int i, int n) {
        return runDirectory.resolve(DIR).resolve("filter" + Shard.suffix(i, n).replace(".shard", ""));
    }

    /**
     * Runs shard {@code shard} of the filter stage: the chain's prefix over its run of the input, into its folder
     * (written beside it and renamed when complete). Takes no lock on the run directory: shards run at once.
     *
     * @return the folder written
     */
    public static Path run(Path runDirectory, Config config, Extensions extensions, Shard shard) throws IOException {
        Path in = input(config, runDirectory);
        if (!Files.isRegularFile(in)) {
            throw new StageFailure("shard " + shard.index() + "/" + shard.count() + ": the filter input " + in
                    + " does not exist: run the acquire stage first (rlhf data CONFIG --set 'run.stages=[acquire]')");
        }
        List<FilterChain.Step> steps = steps(config, extensions);
        List<FilterChain.Step> prefix = steps.subList(0, prefix(steps));
        long records = records(in);
        long from = shard.from(records);
        long to = shard.to(records);
        Path done = folder(runDirectory, shard.index(), shard.count());
        Path partial = done.resolveSibling(done.getFileName() + ".partial");
        RunDirectory.deleteTree(partial);
        Files.createDirectories(partial);
        Path slice = partial.resolve("input.jsonl");
        copyRecords(in, from, to, slice);
        int threads = config.getInt("filter.threads");
        FilterChain chain = new FilterChain(prefix, threads);
        chain.run(slice, partial.resolve(KEPT), partial.resolve(REJECTED), partial.resolve("passes"), n -> { });
        Files.delete(slice);
        RunDirectory.deleteTree(partial.resolve("passes"));
        List<StepStats> stats = chain.stats().stream().map(StepStats::of).toList();
        JSON.writerWithDefaultPrettyPrinter().writeValue(partial.resolve(STATS).toFile(),
                new ShardInfo(shard.index(), shard.count(), records, from, to, stats));
        RunDirectory.deleteTree(done);
        Files.move(partial, done, StandardCopyOption.ATOMIC_MOVE);
        return done;
    }

    /** Reads shard {@code i} of {@code n}'s stats, checking it covers its part of an input of {@code records}. */
    static ShardInfo info(Path runDirectory, int i, int n, long records, List<String> prefixNames) throws IOException {
        Path f = folder(runDirectory, i, n).resolve(STATS);
        if (!Files.isRegularFile(f)) {
            throw new StageFailure("shard " + i + "/" + n + " is missing (" + f + "): run rlhf data CONFIG --shard " + i + "/" + n);
        }
        ShardInfo info = JSON.readValue(f.toFile(), new TypeReference<ShardInfo>() { });
        Shard s = new Shard(i, n);
        if (info.records() != records || info.from() != s.from(records) || info.to() != s.to(records)) {
            throw new StageFailure(f + ": the shard was cut from an input of " + info.records() + " records, the input now holds "
                    + records + ": run every shard again");
        }
        List<String> names = info.stats().stream().map(StepStats::name).toList();
        if (!names.equals(prefixNames)) {
            throw new StageFailure(f + ": the shard ran the filters " + names + ", filter.chain now starts with " + prefixNames
                    + ": run every shard again");
        }
        return info;
    }

    /** The non-blank lines of a record file. */
    static long records(Path file) throws IOException {
        long n = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                n += line.isBlank() ? 0 : 1;
            }
        }
        return n;
    }

    private static void copyRecords(Path in, long from, long to, Path out) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(in, StandardCharsets.UTF_8);
             BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            long index = 0;
            for (String line; index < to && (line = r.readLine()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                if (index++ >= from) {
                    w.write(line);
                    w.newLine();
                }
            }
        }
    }

    /** Step stats of the prefix merged over the shards, in shard order. */
    static List<FilterStats> merged(List<ShardInfo> shards, List<String> names) {
        List<FilterStats> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            List<FilterStats> parts = new ArrayList<>();
            for (ShardInfo s : shards) {
                parts.add(s.stats().get(i).stats());
            }
            out.add(FilterStats.merged(names.get(i), parts));
        }
        return out;
    }
}
