package org.rlhf4j.host.annotate.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Krippendorff's alpha from the coincidence matrix: the paper's worked example for every metric, the pairwise
 * definition on random data, incomparable pairs, and (with {@code -Dkrippendorff.benchmark=true}) a printed
 * comparison of the two on 33,000 labels.
 */
class KrippendorffTest {

    /**
     * The reliability data of section C of "Computing Krippendorff's Alpha-Reliability" (2011): 4 observers,
     * 12 units, missing values as null.
     */
    private static final Integer[][] CODERS = {
        {1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null},
        {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3},
        {null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null},
        {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null},
    };

    private static Map<String, List<List<Integer>>> paper() {
        Map<String, List<List<Integer>>> byTask = new LinkedHashMap<>();
        for (int u = 0; u < 12; u++) {
            List<Integer> values = new ArrayList<>();
            for (Integer[] coder : CODERS) {
                if (coder[u] != null) {
                    values.add(coder[u]);
                }
            }
            byTask.put("unit" + (u + 1), List.of(values));
        }
        return byTask;
    }

    @Test
    void matchesThePapersWorkedExampleForEveryMetric() {
        Krippendorff.Agreement nominal = Krippendorff.alpha(paper(), Krippendorff::nominal);
        assertEquals(0.743, nominal.alpha(), 0.0005);
        assertEquals(0.815, Krippendorff.ordinal(paper()).alpha(), 0.0005);
        assertEquals(0.849, Krippendorff.alpha(paper(), Krippendorff::interval).alpha(), 0.0005);
        assertEquals(0.797, Krippendorff.alpha(paper(), Krippendorff::ratio).alpha(), 0.0005);
        assertEquals(40, nominal.pairableValues(), "the paper's n: unit 12 has a single value and is not pairable");
    }

    @Test
    void agreesWithThePairwiseDefinitionOnRandomData() {
        Random random = new Random(18);
        for (int round = 0; round < 20; round++) {
            Map<String, List<List<Integer>>> ratings = random(random, r -> 1 + r.nextInt(7));
            check(PairwiseAlpha.alpha(ratings, Krippendorff::interval), Krippendorff.alpha(ratings, Krippendorff::interval));
            check(PairwiseAlpha.alpha(ratings, Krippendorff::ratio), Krippendorff.alpha(ratings, Krippendorff::ratio));
            check(PairwiseAlpha.alpha(ratings, Krippendorff::nominal), Krippendorff.alpha(ratings, Krippendorff::nominal));
            Map<String, List<List<List<Integer>>>> rankings = random(random, r -> ranking(r, 2 + r.nextInt(3)));
            check(PairwiseAlpha.alpha(rankings, Krippendorff::kendall), Krippendorff.alpha(rankings, Krippendorff::kendall));
            check(PairwiseAlpha.alpha(rankings, Krippendorff::kendall), Krippendorff.rankings(rankings));
            Map<String, List<List<List<Integer>>>> any = random(random, r -> ranking(r, 1 + r.nextInt(9)));
            check(PairwiseAlpha.alpha(any, Krippendorff::kendall), Krippendorff.rankings(any));
        }
    }

    @Test
    void anIncomparablePairCountsInNeitherObservedNorExpectedDisagreement() {
        Map<String, List<List<List<Integer>>>> units = new LinkedHashMap<>();
        units.put("t1", List.of(List.of(List.of(1, 2), List.of(2, 1))));
        units.put("t2", List.of(List.of(List.of(1, 2, 3), List.of(1, 2, 3))));
        units.put("t3", List.of(List.of(List.of(1, 2), List.of(1, 2, 3))));
        Krippendorff.Agreement a = Krippendorff.alpha(units, Krippendorff::kendall);
        check(a, Krippendorff.rankings(units));
        // Before, t3's pair counted as agreement in D_o (alpha 0, t3's own alpha 1). By hand: D_o = (1 + 1) / (2 + 2)
        // from t1 and t2; D_e over the comparable pairs of [1,2] x2, [2,1], [1,2,3] x3: 4 / 12. 1 - 0.5 / (1/3) = -0.5.
        assertEquals(-0.5, a.alpha(), 1e-12);
        assertTrue(Double.isNaN(a.perTask().get("t3")), a.perTask().toString());
        assertEquals(6, a.pairableValues());
        check(PairwiseAlpha.alpha(units, Krippendorff::kendall), a);
    }

    @Test
    @EnabledIfSystemProperty(named = "krippendorff.benchmark", matches = "true")
    void benchmark33000Labels() {
        // 11,000 tasks with 3 labels each: a ranking of 4 answers and one 1-7 rating per label; then rankings of 9
        Random random = new Random(33);
        Map<String, List<List<List<Integer>>>> rankings = new LinkedHashMap<>();
        Map<String, List<List<List<Integer>>>> long9 = new LinkedHashMap<>();
        Map<String, List<List<Integer>>> ratings = new LinkedHashMap<>();
        for (int t = 0; t < 11_000; t++) {
            List<List<Integer>> ranks = new ArrayList<>();
            List<List<Integer>> ranks9 = new ArrayList<>();
            List<Integer> rates = new ArrayList<>();
            for (int l = 0; l < 3; l++) {
                ranks.add(ranking(random, 4));
                ranks9.add(ranking(random, 9));
                rates.add(1 + random.nextInt(7));
            }
            rankings.put("t" + t, List.of(ranks));
            long9.put("t" + t, List.of(ranks9));
            ratings.put("t" + t, List.of(rates));
        }
        time("ranking of 4 (Kendall): pairwise, coincidence matrix, by answer pair",
                () -> PairwiseAlpha.alpha(rankings, Krippendorff::kendall),
                () -> Krippendorff.alpha(rankings, Krippendorff::kendall), () -> Krippendorff.rankings(rankings));
        time("rating (interval): pairwise, coincidence matrix", () -> PairwiseAlpha.alpha(ratings, Krippendorff::interval),
                () -> Krippendorff.alpha(ratings, Krippendorff::interval));
        time("ranking of 9 (Kendall): coincidence matrix, by answer pair", () -> Krippendorff.alpha(long9, Krippendorff::kendall),
                () -> Krippendorff.rankings(long9));
    }

    @SafeVarargs
    private static void time(String what, java.util.function.Supplier<Krippendorff.Agreement>... ways) {
        ways[ways.length - 1].get(); // warm up
        StringBuilder line = new StringBuilder("krippendorff " + what + ":");
        Krippendorff.Agreement first = null;
        for (java.util.function.Supplier<Krippendorff.Agreement> way : ways) {
            long t0 = System.nanoTime();
            Krippendorff.Agreement a = way.get();
            line.append(String.format(Locale.ROOT, " %.1f ms", (System.nanoTime() - t0) / 1e6));
            if (first == null) {
                first = a;
                line.append(String.format(Locale.ROOT, " (%d values, alpha %.6f)", a.pairableValues(), a.alpha()));
            } else {
                check(first, a);
            }
        }
        System.out.println(line);
    }

    private static void check(Krippendorff.Agreement expected, Krippendorff.Agreement actual) {
        assertEquals(expected.pairableValues(), actual.pairableValues());
        assertEquals(expected.alpha(), actual.alpha(), 1e-9);
        assertEquals(expected.perTask().keySet(), actual.perTask().keySet());
        expected.perTask().forEach((task, v) -> assertEquals(v, actual.perTask().get(task), 1e-9, task));
    }

    /** 1-30 tasks of 1-4 units with 0-5 values each. */
    private static <V> Map<String, List<List<V>>> random(Random r, Function<Random, V> value) {
        Map<String, List<List<V>>> out = new LinkedHashMap<>();
        int tasks = 1 + r.nextInt(30);
        for (int t = 0; t < tasks; t++) {
            List<List<V>> units = new ArrayList<>();
            int n = 1 + r.nextInt(4);
            for (int u = 0; u < n; u++) {
                List<V> values = new ArrayList<>();
                int m = r.nextInt(6);
                for (int i = 0; i < m; i++) {
                    values.add(value.apply(r));
                }
                units.add(values);
            }
            out.put("t" + t, units);
        }
        return out;
    }

    /** Ranks 1..k for k answers, ties allowed. */
    private static List<Integer> ranking(Random r, int k) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            out.add(1 + r.nextInt(k));
        }
        return out;
    }
}
