package org.rlhf4j.host.classify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.host.text.TextNormalizer;

/**
 * Splits prompts into disjoint sets (SFT, reward, PPO, eval) per category: each category's prompts are
 * ordered by a seeded hash of their id (so the split depends on the seed, not on input order), the eval
 * set takes its share but at least {@code evalMin}, the other sets their shares, each capped by its
 * per-category quota; what caps leave over is reported unused.
 */
public final class PromptSplitter {

    /** The set names, in the order they are filled after eval. */
    public static final List<String> SETS = List.of("sft", "reward", "ppo", "eval");

    private final Map<String, Double> shares;
    private final Map<String, Map<String, Integer>> quotas;
    private final int evalMin;
    private final long seed;

    public PromptSplitter(Map<String, Double> shares, Map<String, Map<String, Integer>> quotas, int evalMin, long seed) {
        this.shares = shares;
        this.quotas = quotas;
        this.evalMin = evalMin;
        this.seed = seed;
    }

    /** Set name to records; {@code unused} holds what no set took. */
    public Map<String, List<Record>> split(List<Record> records) {
        Map<String, List<Record>> byCategory = new LinkedHashMap<>();
        for (Record r : records) {
            byCategory.computeIfAbsent(r.meta().getOrDefault("category", "other"), k -> new ArrayList<>()).add(r);
        }
        Map<String, List<Record>> out = new LinkedHashMap<>();
        for (String s : SETS) {
            out.put(s, new ArrayList<>());
        }
        out.put("unused", new ArrayList<>());
        for (Map.Entry<String, List<Record>> e : new java.util.TreeMap<>(byCategory).entrySet()) {
            List<Record> rs = new ArrayList<>(e.getValue());
            rs.sort(Comparator.comparingLong((Record r) -> TextNormalizer.mix(TextNormalizer.hash64(r.id()) ^ seed))
                    .thenComparing(Record::id));
            int n = rs.size();
            Map<String, Integer> counts = counts(n);
            int at = 0;
            for (String set : List.of("eval", "sft", "reward", "ppo")) {
                int want = counts.get(set);
                int cap = quotas.getOrDefault(set, Map.of()).getOrDefault(e.getKey(), 0);
                int take = cap > 0 ? Math.min(want, cap) : want;
                for (int i = 0; i < take && at < n; i++) {
                    out.get(set).add(rs.get(at++).withMeta("split", set));
                }
                int over = Math.min(want - take, n - at);
                for (int i = 0; i < over; i++) {
                    out.get("unused").add(rs.get(at++));
                }
            }
            while (at < n) {
                out.get("unused").add(rs.get(at++));
            }
        }
        return out;
    }

    /** How many of n prompts each set wants: shares rounded by largest remainder, eval at least evalMin. */
    Map<String, Integer> counts(int n) {
        double total = shares.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Integer> c = new LinkedHashMap<>();
        Map<String, Double> rest = new LinkedHashMap<>();
        int used = 0;
        for (String s : SETS) {
            double exact = n * shares.getOrDefault(s, 0.0) / total;
            c.put(s, (int) Math.floor(exact));
            rest.put(s, exact - Math.floor(exact));
            used += (int) Math.floor(exact);
        }
        List<String> order = new ArrayList<>(SETS);
        order.sort(Comparator.comparingDouble((String s) -> -rest.get(s)).thenComparing(SETS::indexOf));
        for (int i = 0; used < n; i++, used++) {
            String s = order.get(i % order.size());
            c.merge(s, 1, Integer::sum);
        }
        int evalWant = Math.min(n, Math.max(evalMin, c.get("eval")));
        int extra = evalWant - c.get("eval");
        c.put("eval", evalWant);
        for (String s : List.of("ppo", "reward", "sft")) {
            int give = Math.min(extra, c.get(s));
            c.put(s, c.get(s) - give);
            extra -= give;
        }
        return c;
    }
}
