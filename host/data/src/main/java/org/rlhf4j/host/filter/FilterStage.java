package org.rlhf4j.host.filter;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordFilter;
import org.rlhf4j.api.stage.Progress;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.host.records.RecordJsonl;
import org.rlhf4j.host.report.DataReport;
import org.rlhf4j.host.report.ReportContributor;

/**
 * The {@code filter} stage in this JVM ({@code filter.engine = local}, chosen by {@link org.rlhf4j.host.shard.ChosenFilterStage}):
 * runs the filters named in {@code filter.chain}, in order, over
 * {@code filter.input} (default {@code data/acquired.jsonl}) on {@code filter.threads} cores
 * ({@link FilterChain}), writing {@code data/filtered.jsonl} and {@code data/rejected.jsonl}, and the filter
 * section of the data report: per filter kept, dropped and modified counts with reasons and examples,
 * each filter's own details (dedup clusters, classifier precision and recall, languages seen), the
 * language distribution of what was kept, and the throughput.
 *
 * <p>A filter applies to the record kinds in {@code <name>.kinds} and passes records whose
 * {@code meta.format} is in {@code <name>.skip-formats} untouched (prose rules skip code, for instance).
 */
public final class FilterStage implements Stage {

    public static final String OUTPUT = "data/filtered.jsonl";
    public static final String REJECTED = "data/rejected.jsonl";

    private final List<FilterChain.Step> steps = new ArrayList<>();
    private final String input;
    private final int threads;

    /** {@code settings} is the {@code filter} block of {@code config}. */
    public FilterStage(Config settings, Config config, Extensions extensions) {
        this.input = settings.getString("input");
        this.threads = settings.getInt("threads");
        if (threads < 0) {
            throw new ConfigProblem(settings, "threads", "must be 0 (all cores) or more");
        }
        List<String> names = settings.getStringList("chain");
        List<RecordFilter> filters = extensions.selectAll(RecordFilter.class, "filter.chain");
        for (int i = 0; i < names.size(); i++) {
            steps.add(step(config, names.get(i), filters.get(i)));
        }
    }

    /** A chain step with the applicability its config block gives. */
    public static FilterChain.Step step(Config config, String name, RecordFilter filter) {
        Set<Record.Kind> kinds = EnumSet.allOf(Record.Kind.class);
        Set<String> skip = Set.of();
        if (config.hasPath(name) && config.getValue(name).valueType() == com.typesafe.config.ConfigValueType.OBJECT) {
            Config c = config.getConfig(name);
            if (c.hasPath("kinds")) {
                kinds = EnumSet.noneOf(Record.Kind.class);
                for (String k : c.getStringList("kinds")) {
                    try {
                        kinds.add(Record.Kind.valueOf(k.toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        throw new ConfigProblem(config, name + ".kinds", "unknown kind '" + k + "'; known: document, prompt, conversation, preference");
                    }
                }
            }
            if (c.hasPath("skip-formats")) {
                skip = Set.copyOf(c.getStringList("skip-formats"));
            }
        }
        return new FilterChain.Step(name, filter, kinds, skip);
    }

    @Override
    public void run(StageContext ctx) throws IOException {
        Path in = ctx.input(input);
        Path out = ctx.staging().resolve(OUTPUT);
        Files.createDirectories(out.getParent());
        FilterChain chain = new FilterChain(steps, threads);
        long start = System.nanoTime();
        try (Progress progress = ctx.progress("filter", -1)) {
            chain.run(in, out, ctx.staging().resolve(REJECTED), ctx.resumeDirectory().resolve("passes"), progress::step);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        DataReport report = DataReport.load(ctx);
        report.put("filter", section(chain, steps, in, out, seconds, threads));
        report.write(ctx);
        ctx.run().metrics().log(ctx.stage(), -1, Map.of("seconds", seconds, "mb-per-s", Files.size(in) / 1e6 / seconds));
    }

    /** The filter section of the report for a finished chain. */
    public static Map<String, Object> section(FilterChain chain, List<FilterChain.Step> steps, Path in, Path out,
                                              double seconds, int threads) throws IOException {
        return section(chain.stats(), steps, in, out, seconds, threads);
    }

    /** The filter section of the report from each step's stats (a chain run in parts: shards, then a merge). */
    public static Map<String, Object> section(List<FilterStats> stats, List<FilterChain.Step> steps, Path in, Path out,
                                              double seconds, int threads) throws IOException {
        Map<String, Long> languages = new TreeMap<>();
        Map<String, Long> kinds = new TreeMap<>();
        long[] kept = {0};
        RecordJsonl.read(out, r -> {
            kept[0]++;
            languages.merge(r.meta().getOrDefault("lang", "(not identified)"), 1L, Long::sum);
            kinds.merge(r.kind().name().toLowerCase(Locale.ROOT), 1L, Long::sum);
        });
        Map<String, Object> s = new LinkedHashMap<>();
        long in0 = stats.isEmpty() ? kept[0] : stats.get(0).in();
        if (kept[0] == 0 && in0 > 0) {
            StringBuilder why = new StringBuilder();
            for (int i = 0; i < stats.size(); i++) {
                if (stats.get(i).dropped() > 0) {
                    why.append(why.length() == 0 ? "" : ", ").append(steps.get(i).name()).append(" dropped ").append(stats.get(i).dropped());
                }
            }
            org.slf4j.LoggerFactory.getLogger(FilterStage.class).warn("filter: no record of {} is left after the chain ({});"
                    + " the stages after it will have nothing to read from {}", in0, why, out);
        } else if (in0 == 0) {
            org.slf4j.LoggerFactory.getLogger(FilterStage.class).warn("filter: {} holds no records: nothing to filter", in);
        }
        s.put("records-in", in0);
        s.put("records-kept", kept[0]);
        s.put("seconds", Math.round(seconds * 100) / 100.0);
        s.put("mb-per-s", Math.round(Files.size(in) / 1e6 / Math.max(seconds, 1e-9) * 100) / 100.0);
        s.put("threads", threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        List<Object> perFilter = new ArrayList<>();
        stats.forEach(st -> perFilter.add(st.report()));
        s.put("filters", perFilter);
        Map<String, Object> details = new LinkedHashMap<>();
        for (FilterChain.Step step : steps) {
            if (step.filter() instanceof ReportContributor rc) {
                details.put(step.name(), rc.report());
            }
        }
        s.put("details", details);
        s.put("languages-kept", languages);
        s.put("kinds-kept", kinds);
        return s;
    }
}
