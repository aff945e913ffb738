package org.rlhf4j.host.annotate.quality;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Krippendorff's alpha, 1 - D_o / D_e, computed from the coincidence matrix as in K. Krippendorff, "Computing
 * Krippendorff's Alpha-Reliability" (2011): a unit with m_u &ge; 2 values adds n_uc n_uk / (m_u - 1) to the
 * coincidence o_ck of each ordered pair of its values (n_uc (n_uc - 1) / (m_u - 1) for c = k); the marginals
 * are n_c = sum_k o_ck and n = sum_c n_c, the pairable values. Then D_o = sum_ck o_ck delta_ck / n and
 * D_e = sum_ck n_c (n_k - [c = k]) delta_ck / (n (n - 1)), both over the distinct values only: V^2 distance
 * calls for V distinct values (7 for 1-7 ratings, 2 for safe/unsafe), not one per pair of labels.
 *
 * <p>Metrics: {@link #nominal}, {@link #ordinal ordinal} (from the marginals), {@link #interval}, {@link #ratio}
 * and the normalised {@link #kendall Kendall} distance for rankings; delta_ck is the squared difference of the
 * paper's metrics. For rankings {@link #rankings} sums D_e answer pair by answer pair instead, as rankings of
 * many answers can have about as many distinct values as labels.
 *
 * <p>A pair whose distance cannot be computed (NaN: rankings of different length) is left out of both sums the
 * same way: D_o is the o-weighted mean of delta over the comparable pairs of coincidences, D_e the mean over
 * the comparable pairs of pairable values. When every pair is comparable these are the formulas above; an
 * incomparable pair never counts as agreement in one and not in the other.
 *
 * <p>Units are grouped by task: the overall alpha pools every unit; a task's alpha is 1 - D_o(task) / D_e(all),
 * its own observed disagreement against the expected disagreement of the whole set (NaN when the task has no
 * comparable pair).
 */
public final class Krippendorff {

    /** A distance between two values; NaN when the two cannot be compared (rankings of different length). */
    @FunctionalInterface
    public interface Distance<V> {
        double between(V a, V b);
    }

    /**
     * The agreement of a set of labels.
     *
     * @param alpha over every unit (NaN when fewer than two pairable values or no expected disagreement)
     * @param perTask per task id
     * @param pairableValues values in units with at least two of them
     */
    public record Agreement(double alpha, Map<String, Double> perTask, int pairableValues) {
    }

    /** The distance between distinct values c and k (by index), given every value's marginal n_c. */
    private interface Indexed {
        double between(int c, int k);
    }

    /** One unit: the distinct values in it (by index), how often each occurs, and its task. */
    private record Unit(String task, int[] values, int[] counts, int m) {
    }

    private Krippendorff() {
    }

    /** Interval distance: the squared difference. */
    public static double interval(Integer a, Integer b) {
        double d = a - b;
        return d * d;
    }

    /** Ratio distance: ((a - b) / (a + b))^2, 0 for two zeros. */
    public static double ratio(Integer a, Integer b) {
        if (a + b == 0) {
            return a.equals(b) ? 0 : Double.NaN;
        }
        double d = (double) (a - b) / (a + b);
        return d * d;
    }

    /** Nominal distance: 0 when equal, else 1. */
    public static double nominal(Object a, Object b) {
        return a.equals(b) ? 0 : 1;
    }

    /**
     * Normalised Kendall distance between two rankings of the same answers (rank 1 = best, ties allowed):
     * the share of answer pairs ordered oppositely, a pair tied in one ranking and not the other counting
     * one half. 0 = same order, 1 = reversed; NaN when the lengths differ.
     */
    public static double kendall(List<Integer> a, List<Integer> b) {
        if (a.size() != b.size() || a.size() < 2) {
            return Double.NaN;
        }
        double d = 0;
        int pairs = 0;
        for (int i = 0; i < a.size(); i++) {
            for (int j = i + 1; j < a.size(); j++) {
                int sa = Integer.signum(a.get(i) - a.get(j));
                int sb = Integer.signum(b.get(i) - b.get(j));
                if (sa != sb) {
                    d += (sa == 0 || sb == 0) ? 0.5 : 1;
                }
                pairs++;
            }
        }
        return d / pairs;
    }

    /** Alpha over units grouped by task, with a distance between two values; each unit lists the values the annotators gave it. */
    public static <V> Agreement alpha(Map<String, List<List<V>>> unitsByTask, Distance<V> distance) {
        List<V> values = new ArrayList<>();
        List<Unit> units = units(unitsByTask, values);
        double[] n = marginals(units, values.size());
        Indexed delta = (c, k) -> distance.between(values.get(c), values.get(k));
        return alpha(units, n, delta, expected(n, delta));
    }

    /**
     * {@link #alpha alpha} with the {@link #kendall Kendall} distance, its expected disagreement summed answer pair by
     * answer pair: the distance is a mean over the pairs of answers, so sum_ck n_c n_k delta_ck needs for each answer
     * pair only how many values order it each way or tie it, not every pair of distinct rankings (of which there
     * can be one per label when tasks have many answers).
     */
    public static Agreement rankings(Map<String, List<List<List<Integer>>>> unitsByTask) {
        List<List<Integer>> values = new ArrayList<>();
        List<Unit> units = units(unitsByTask, values);
        double[] n = marginals(units, values.size());
        // by ranking length: per answer pair (i, j), how many values rank i better, tie them, rank j better
        Map<Integer, double[][]> signs = new HashMap<>();
        Map<Integer, Double> counts = new HashMap<>();
        for (int c = 0; c < values.size(); c++) {
            List<Integer> r = values.get(c);
            if (r.size() < 2) {
                continue;
            }
            double[][] s = signs.computeIfAbsent(r.size(), L -> new double[L * (L - 1) / 2][3]);
            counts.merge(r.size(), n[c], Double::sum);
            int p = 0;
            for (int i = 0; i < r.size(); i++) {
                for (int j = i + 1; j < r.size(); j++) {
                    s[p++][Integer.signum(r.get(i) - r.get(j)) + 1] += n[c];
                }
            }
        }
        double sum = 0;
        double pairs = 0;
        for (Map.Entry<Integer, double[][]> e : signs.entrySet()) {
            double[][] s = e.getValue();
            double within = 0;
            for (double[] pair : s) {
                // ordered pairs of values: opposite orders count 1, a tie against an order one half
                within += 2 * pair[0] * pair[2] + 2 * 0.5 * pair[1] * (pair[0] + pair[2]);
            }
            double total = counts.get(e.getKey());
            sum += within / s.length;
            pairs += total * (total - 1);
        }
        return alpha(units, n, (c, k) -> kendall(values.get(c), values.get(k)), new double[] {sum, pairs});
    }

    /**
     * Alpha with the ordinal metric: delta_ck = (sum of n_g for g from c to k - (n_c + n_k) / 2)^2 over the
     * values in order, so the distance between two ranks grows with how many values lie between them.
     */
    public static Agreement ordinal(Map<String, List<List<Integer>>> unitsByTask) {
        List<Integer> values = new ArrayList<>();
        List<Unit> units = units(unitsByTask, values);
        double[] n = marginals(units, values.size());
        Integer[] order = new Integer[values.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Integer.compare(values.get(x), values.get(y)));
        int[] position = new int[order.length];
        double[] upTo = new double[order.length + 1]; // upTo[p] = the marginals of the p smallest values
        for (int p = 0; p < order.length; p++) {
            position[order[p]] = p;
            upTo[p + 1] = upTo[p] + n[order[p]];
        }
        Indexed delta = (c, k) -> {
            int lo = Math.min(position[c], position[k]);
            int hi = Math.max(position[c], position[k]);
            double d = upTo[hi + 1] - upTo[lo] - (n[c] + n[k]) / 2;
            return d * d;
        };
        return alpha(units, n, delta, expected(n, delta));
    }

    /** The units with two or more values, each value replaced by its index in {@code values} (filled here). */
    private static <V> List<Unit> units(Map<String, List<List<V>>> unitsByTask, List<V> values) {
        Map<V, Integer> index = new HashMap<>();
        List<Unit> out = new ArrayList<>();
        for (Map.Entry<String, List<List<V>>> e : unitsByTask.entrySet()) {
            for (List<V> unit : e.getValue()) {
                if (unit.size() < 2) {
                    continue;
                }
                Map<Integer, Integer> counts = new LinkedHashMap<>();
                for (V v : unit) {
                    int i = index.computeIfAbsent(v, x -> {
                        values.add(x);
                        return values.size() - 1;
                    });
                    counts.merge(i, 1, Integer::sum);
                }
                int[] ids = new int[counts.size()];
                int[] ns = new int[counts.size()];
                int j = 0;
                for (Map.Entry<Integer, Integer> c : counts.entrySet()) {
                    ids[j] = c.getKey();
                    ns[j++] = c.getValue();
                }
                out.add(new Unit(e.getKey(), ids, ns, unit.size()));
            }
        }
        return out;
    }

    /** n_c: how often each value occurs among the pairable values (= the row sums of the coincidence matrix). */
    private static double[] marginals(List<Unit> units, int distinct) {
        double[] n = new double[distinct];
        for (Unit u : units) {
            for (int j = 0; j < u.values().length; j++) {
                n[u.values()[j]] += u.counts()[j];
            }
        }
        return n;
    }

    /**
     * The expected disagreement's sum and weight over every ordered pair of pairable values, n_c (n_k - [c = k])
     * of them for distinct values c and k, from the marginals alone; incomparable pairs left out.
     */
    private static double[] expected(double[] n, Indexed delta) {
        double sum = 0;
        double pairs = 0;
        for (int c = 0; c < n.length; c++) {
            for (int k = c; k < n.length; k++) {
                double d = delta.between(c, k);
                if (Double.isNaN(d)) {
                    continue;
                }
                double w = c == k ? n[c] * (n[c] - 1) : 2 * n[c] * n[k];
                sum += w * d;
                pairs += w;
            }
        }
        return new double[] {sum, pairs};
    }

    /** Alpha from the units' coincidences and the expected disagreement {@code de} (sum, weight). */
    private static Agreement alpha(List<Unit> units, double[] n, Indexed delta, double[] de) {
        // Observed: each unit's coincidences o_uck = n_uc (n_uk - [c = k]) / (m_u - 1), weighted by delta_ck.
        Map<String, double[]> observed = new LinkedHashMap<>();
        for (Unit u : units) {
            double[] sums = observed.computeIfAbsent(u.task(), k -> new double[2]);
            for (int a = 0; a < u.values().length; a++) {
                for (int b = 0; b < u.values().length; b++) {
                    double o = (double) u.counts()[a] * (u.counts()[b] - (a == b ? 1 : 0)) / (u.m() - 1);
                    if (o == 0) {
                        continue;
                    }
                    double d = delta.between(u.values()[a], u.values()[b]);
                    if (!Double.isNaN(d)) {
                        sums[0] += o * d;
                        sums[1] += o;
                    }
                }
            }
        }
        double expected = de[1] == 0 ? Double.NaN : de[0] / de[1];
        double observedSum = 0;
        double observedPairs = 0;
        Map<String, Double> perTask = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : observed.entrySet()) {
            double[] s = e.getValue();
            observedSum += s[0];
            observedPairs += s[1];
            perTask.put(e.getKey(), expected > 0 && s[1] > 0 ? 1 - (s[0] / s[1]) / expected : Double.NaN);
        }
        int pairable = 0;
        for (double x : n) {
            pairable += (int) x;
        }
        double alpha = pairable < 2 || !(expected > 0) || observedPairs == 0 ? Double.NaN
                : 1 - (observedSum / observedPairs) / expected;
        return new Agreement(alpha, perTask, pairable);
    }
}
