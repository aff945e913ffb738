package org.rlhf4j.host.classify;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.records.RecordJsonl;
import org.rlhf4j.host.text.MinHasher;
import org.rlhf4j.host.text.RecordText;
import org.rlhf4j.host.report.DataReport;

/**
 * The {@code split} stage: disjoint, seeded SFT / reward / PPO / eval prompt sets with per-category
 * shares and quotas ({@link PromptSplitter}) from the classified records of {@code split.inputs}, written
 * to {@code data/splits/{sft,reward,ppo,eval}.jsonl}; then a leak check: a training prompt that is a
 * near-duplicate of an eval prompt (MinHash LSH candidates confirmed by shingle Jaccard of at least
 * {@code leak-jaccard}) is dropped from training ({@code leak = drop}) or fails the stage ({@code fail}).
 */
@Extension
@ExtensionName("split")
public final class SplitStage implements Stage {

    private final List<String> inputs;
    private final PromptSplitter splitter;
    private final boolean failOnLeak;
    private final double leakJaccard;
    private final MinHasher hasher;

    @Inject
    public SplitStage(@Settings Config settings, RunContext run) {
        this.inputs = settings.getStringList("inputs");
        Map<String, Double> shares = new LinkedHashMap<>();
        for (String s : PromptSplitter.SETS) {
            shares.put(s, settings.hasPath("shares." + s) ? settings.getDouble("shares." + s) : 0.0);
        }
        for (String k : settings.getConfig("shares").root().keySet()) {
            if (!PromptSplitter.SETS.contains(k)) {
                throw new ConfigProblem(settings, "shares." + k, "unknown set; known: " + PromptSplitter.SETS);
            }
        }
        if (shares.values().stream().mapToDouble(Double::doubleValue).sum() <= 0) {
            throw new ConfigProblem(settings, "shares", "the shares must add up to more than 0");
        }
        Map<String, Map<String, Integer>> quotas = new HashMap<>();
        Config q = settings.getConfig("quotas");
        for (String set : q.root().keySet()) {
            Map<String, Integer> m = new HashMap<>();
            q.getConfig(set).root().keySet().forEach(c -> m.put(c, q.getConfig(set).getInt(c)));
            quotas.put(set, m);
        }
        String leak = settings.getString("leak").toLowerCase(Locale.ROOT);
        if (!leak.equals("drop") && !leak.equals("fail")) {
            throw new ConfigProblem(settings, "leak", "must be drop or fail, got '" + leak + "'");
        }
        this.failOnLeak = leak.equals("fail");
        this.leakJaccard = settings.getDouble("leak-jaccard");
        this.splitter = new PromptSplitter(shares, quotas, settings.getInt("eval-min-per-category"), run.seed("split"));
        this.hasher = new MinHasher(settings.getInt("leak-bands"), settings.getInt("leak-rows"), 5, 5, MinHasher.Tokens.AUTO, 0.3, 1);
    }

    @Override
    public void run(StageContext ctx) throws IOException {
        List<Record> records = new ArrayList<>();
        for (String in : inputs) {
            Path p = ctx.input(in);
            RecordJsonl.read(p, r -> {
                if (r.kind() != Record.Kind.DOCUMENT) {
                    records.add(r);
                }
            });
        }
        Map<String, List<Record>> sets = splitter.split(records);
        List<String> leaks = removeLeaks(sets);
        if (failOnLeak && !leaks.isEmpty()) {
            throw new StageFailure(leaks.size() + " training prompt(s) are near-duplicates of eval prompts (split.leak = fail): "
                    + String.join("; ", leaks.subList(0, Math.min(5, leaks.size()))));
        }
        Map<String, Object> section = new LinkedHashMap<>();
        for (String set : PromptSplitter.SETS) {
            RecordJsonl.write(ctx.staging().resolve("data/splits/" + set + ".jsonl"), sets.get(set));
            Map<String, Long> perCategory = new TreeMap<>();
            sets.get(set).forEach(r -> perCategory.merge(r.meta().getOrDefault("category", "other"), 1L, Long::sum));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("prompts", sets.get(set).size());
            m.put("per-category", perCategory);
            section.put(set, m);
        }
        section.put("unused", sets.get("unused").size());
        section.put("eval-leaks-removed", leaks.size());
        section.put("eval-leak-examples", leaks.subList(0, Math.min(10, leaks.size())));
        DataReport report = DataReport.load(ctx);
        report.put("split", section);
        report.write(ctx);
    }

    /** Drops training prompts that near-duplicate an eval prompt; returns what was dropped and why. */
    List<String> removeLeaks(Map<String, List<Record>> sets) {
        Map<Long, List<long[]>> buckets = new HashMap<>();
        Map<Long, List<String>> bucketIds = new HashMap<>();
        for (Record e : sets.get("eval")) {
            long[] sh = hasher.shingles(RecordText.prompt(e));
            long[] keys = hasher.bandKeys(sh);
            if (keys == null) {
                continue;
            }
            for (int b = 0; b < keys.length; b++) {
                long k = keys[b] * 31 + b;
                buckets.computeIfAbsent(k, x -> new ArrayList<>()).add(sh);
                bucketIds.computeIfAbsent(k, x -> new ArrayList<>()).add(e.id());
            }
        }
        List<String> leaks = new ArrayList<>();
        for (String set : List.of("sft", "reward", "ppo")) {
            List<Record> kept = new ArrayList<>();
            for (Record r : sets.get(set)) {
                String match = leakOf(r, buckets, bucketIds);
                if (match == null) {
                    kept.add(r);
                } else {
                    leaks.add(set + " " + r.id() + " ~ eval " + match);
                }
            }
            sets.put(set, kept);
        }
        return leaks;
    }

    private String leakOf(Record r, Map<Long, List<long[]>> buckets, Map<Long, List<String>> ids) {
        long[] sh = hasher.shingles(RecordText.prompt(r));
        long[] keys = hasher.bandKeys(sh);
        if (keys == null) {
            return null;
        }
        for (int b = 0; b < keys.length; b++) {
            long k = keys[b] * 31 + b;
            List<long[]> cands = buckets.get(k);
            if (cands == null) {
                continue;
            }
            for (int i = 0; i < cands.size(); i++) {
                if (MinHasher.jaccard(sh, cands.get(i)) >= leakJaccard) {
                    return ids.get(k).get(i);
                }
            }
        }
        return null;
    }
}
