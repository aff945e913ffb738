package org.rlhf4j.host.filter;

import org.rlhf4j.host.text.MinHasher;
import org.rlhf4j.host.text.RecordText;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordFilter;
import org.rlhf4j.host.report.ReportContributor;

/**
 * Near-duplicate removal with MinHash and LSH (datatrove's MinhashDedup pipeline in one process):
 * signatures are computed in the index pass on every core ({@link MinHasher}); records sharing a bucket
 * in any band are joined into clusters (union-find, as datatrove's MinhashDedupCluster); each cluster
 * keeps one record, the best by {@code priority} with ties broken by the smallest id, so the result is
 * the same for any input order or thread count. With {@code jaccard-threshold > 0} a bucket match only
 * joins records whose true shingle Jaccard reaches it (NeMo-Curator's false-positive check); that keeps
 * every record's shingles in memory, so it is off by default.
 */
@Extension
@ExtensionName("minhash-dedup")
public final class MinHashDedup implements RecordFilter, ReportContributor {

    /** Settings; see host/data reference.conf. */
    record MinHashSettings(int bands, int rows, int ngram, int charNgram, MinHasher.Tokens tokens, double cjkThreshold,
                           double jaccardThreshold, long seed, DedupPriority priority, int reportClusters) {
        static MinHashSettings from(Config c) {
            String t = c.getString("tokens");
            MinHasher.Tokens tokens;
            try {
                tokens = MinHasher.Tokens.valueOf(t.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigProblem(c, "tokens", "must be auto, words or chars, got '" + t + "'");
            }
            MinHashSettings s = new MinHashSettings(c.getInt("bands"), c.getInt("rows"), c.getInt("ngram"), c.getInt("char-ngram"),
                    tokens, c.getDouble("cjk-threshold"), c.getDouble("jaccard-threshold"), c.getLong("seed"),
                    DedupPriority.from(c, "priority"), c.getInt("report-clusters"));
            for (String k : List.of("bands", "rows", "ngram", "char-ngram")) {
                if (c.getInt(k) < 1) {
                    throw new ConfigProblem(c, k, "must be at least 1");
                }
            }
            return s;
        }
    }

    private record Entry(DedupPriority.Candidate candidate, long[] keys, long[] shingles) {
    }

    private final MinHashSettings settings;
    private final MinHasher hasher;
    private final List<Entry> entries = new ArrayList<>();
    private Map<String, String> duplicateOf = Map.of();
    private List<List<String>> clusters = List.of();

    @Inject
    public MinHashDedup(@Settings Config settings) {
        this.settings = MinHashSettings.from(settings);
        this.hasher = new MinHasher(this.settings.bands(), this.settings.rows(), this.settings.ngram(),
                this.settings.charNgram(), this.settings.tokens(), this.settings.cjkThreshold(), this.settings.seed());
    }

    @Override
    public boolean needsIndex() {
        return true;
    }

    @Override
    public boolean concurrentIndex() {
        return true;
    }

    @Override
    public void index(Record record) {
        long[] shingles = hasher.shingles(RecordText.of(record));
        long[] keys = hasher.bandKeys(shingles);
        if (keys == null) {
            return;
        }
        Entry e = new Entry(settings.priority().of(record), keys, settings.jaccardThreshold() > 0 ? shingles : null);
        synchronized (entries) {
            entries.add(e);
        }
    }

    @Override
    public void indexDone() {
        entries.sort(Comparator.comparing(e -> e.candidate().id()));
        int n = entries.size();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        for (int b = 0; b < settings.bands(); b++) {
            Map<Long, List<Integer>> buckets = new HashMap<>();
            for (int i = 0; i < n; i++) {
                List<Integer> members = buckets.computeIfAbsent(entries.get(i).keys()[b], k -> new ArrayList<>(1));
                if (settings.jaccardThreshold() <= 0) {
                    if (!members.isEmpty()) {
                        union(parent, members.get(0), i);
                    }
                    if (members.isEmpty()) {
                        members.add(i);
                    }
                    continue;
                }
                for (int m : members.subList(0, Math.min(members.size(), 100))) {
                    if (MinHasher.jaccard(entries.get(m).shingles(), entries.get(i).shingles()) >= settings.jaccardThreshold()) {
                        union(parent, m, i);
                    }
                }
                members.add(i);
            }
        }
        Map<Integer, List<Integer>> components = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            components.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(i);
        }
        Map<String, String> dup = new HashMap<>();
        List<List<String>> found = new ArrayList<>();
        for (List<Integer> members : components.values()) {
            if (members.size() < 2) {
                continue;
            }
            List<DedupPriority.Candidate> cs = members.stream().map(i -> entries.get(i).candidate())
                    .sorted(DedupPriority.BEST_FIRST).toList();
            String keeper = cs.get(0).id();
            List<String> ids = new ArrayList<>();
            for (DedupPriority.Candidate c : cs) {
                ids.add(c.id());
                if (!c.id().equals(keeper)) {
                    dup.put(c.id(), keeper);
                }
            }
            found.add(ids);
        }
        found.sort(Comparator.comparingInt((List<String> l) -> -l.size()).thenComparing(l -> l.get(0)));
        duplicateOf = dup;
        clusters = found;
        entries.clear();
    }

    @Override
    public FilterDecision apply(Record record) {
        String keeper = duplicateOf.get(record.id());
        if (keeper == null) {
            return FilterDecision.keep(record);
        }
        return FilterDecision.drop(record, "near-duplicate: in a MinHash cluster with " + keeper + " (kept)");
    }

    /** The duplicate clusters found, each best (kept) first, largest clusters first. */
    public List<List<String>> clusters() {
        return clusters;
    }

    @Override
    public Map<String, Object> report() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("bands", settings.bands());
        r.put("rows", settings.rows());
        r.put("clusters", clusters.size());
        r.put("duplicates", duplicateOf.size());
        List<Map<String, Object>> shown = new ArrayList<>();
        for (List<String> c : clusters.subList(0, Math.min(clusters.size(), settings.reportClusters()))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kept", c.get(0));
            m.put("size", c.size());
            m.put("dropped", String.join(", ", c.subList(1, Math.min(c.size(), 6))) + (c.size() > 6 ? ", ..." : ""));
            shown.add(m);
        }
        r.put("largest-clusters", shown);
        return r;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }
}
