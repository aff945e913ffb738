package org.rlhf4j.host.annotate.quality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Krippendorff's alpha: 1 - D_o / D_e, observed over expected disagreement, with any distance (interval
 * for 1-7 ratings, normalised Kendall distance for rankings, nominal for safe/unsafe). Units are grouped by
 * task: the overall alpha pools every unit; a task's alpha is 1 - D_o(task) / D_e(all), its own observed
 * disagreement against the expected disagreement of the whole set.
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

    private Krippendorff() {
    }

    /** Interval distance: the squared difference. */
    public static double interval(Integer a, Integer b) {
        double d = a - b;
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

    /** Alpha over units grouped by task; each unit lists the values the annotators gave it. */
    public static <V> Agreement alpha(Map<String, List<List<V>>> unitsByTask, Distance<V> distance) {
        List<V> pooled = new ArrayList<>();
        double observedSum = 0;
        Map<String, double[]> taskObserved = new LinkedHashMap<>();
        for (Map.Entry<String, List<List<V>>> e : unitsByTask.entrySet()) {
            double sum = 0;
            int n = 0;
            for (List<V> unit : e.getValue()) {
                if (unit.size() < 2) {
                    continue;
                }
                sum += within(unit, distance);
                n += unit.size();
                pooled.addAll(unit);
            }
            if (n > 0) {
                taskObserved.put(e.getKey(), new double[] {sum, n});
                observedSum += sum;
            }
        }
        int n = pooled.size();
        double expected = expected(pooled, distance);
        Map<String, Double> perTask = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : taskObserved.entrySet()) {
            perTask.put(e.getKey(), expected > 0 ? 1 - (e.getValue()[0] / e.getValue()[1]) / expected : Double.NaN);
        }
        double alpha = n < 2 || !(expected > 0) ? Double.NaN : 1 - (observedSum / n) / expected;
        return new Agreement(alpha, perTask, n);
    }

    /** One unit's share of the observed disagreement: sum over ordered pairs of distances / (m - 1). */
    private static <V> double within(List<V> unit, Distance<V> distance) {
        double sum = 0;
        for (int i = 0; i < unit.size(); i++) {
            for (int j = 0; j < unit.size(); j++) {
                if (i != j) {
                    double d = distance.between(unit.get(i), unit.get(j));
                    sum += Double.isNaN(d) ? 0 : d;
                }
            }
        }
        return sum / (unit.size() - 1);
    }

    /** The mean distance over every comparable ordered pair of pooled values. */
    private static <V> double expected(List<V> pooled, Distance<V> distance) {
        double sum = 0;
        long pairs = 0;
        for (int i = 0; i < pooled.size(); i++) {
            for (int j = 0; j < pooled.size(); j++) {
                if (i != j) {
                    double d = distance.between(pooled.get(i), pooled.get(j));
                    if (!Double.isNaN(d)) {
                        sum += d;
                        pairs++;
                    }
                }
            }
        }
        return pairs == 0 ? Double.NaN : sum / pairs;
    }
}
