package org.rlhf4j.host.annotate.quality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference the coincidence-matrix {@link Krippendorff} is checked against: alpha by the definition, a
 * distance call for every ordered pair of values within each unit and among all pairable values (the
 * implementation before it, O(n^2), with incomparable pairs left out of both sums as Krippendorff now does).
 */
final class PairwiseAlpha {

    private PairwiseAlpha() {
    }

    static <V> Krippendorff.Agreement alpha(Map<String, List<List<V>>> unitsByTask, Krippendorff.Distance<V> distance) {
        List<V> pooled = new ArrayList<>();
        double observedSum = 0;
        double observedPairs = 0;
        Map<String, double[]> taskObserved = new LinkedHashMap<>();
        for (Map.Entry<String, List<List<V>>> e : unitsByTask.entrySet()) {
            double sum = 0;
            double pairs = 0;
            boolean any = false;
            for (List<V> unit : e.getValue()) {
                if (unit.size() < 2) {
                    continue;
                }
                any = true;
                for (int i = 0; i < unit.size(); i++) {
                    for (int j = 0; j < unit.size(); j++) {
                        double d = i == j ? Double.NaN : distance.between(unit.get(i), unit.get(j));
                        if (!Double.isNaN(d)) {
                            sum += d / (unit.size() - 1);
                            pairs += 1.0 / (unit.size() - 1);
                        }
                    }
                }
                pooled.addAll(unit);
            }
            if (any) {
                taskObserved.put(e.getKey(), new double[] {sum, pairs});
                observedSum += sum;
                observedPairs += pairs;
            }
        }
        double sum = 0;
        long pairs = 0;
        for (int i = 0; i < pooled.size(); i++) {
            for (int j = 0; j < pooled.size(); j++) {
                double d = i == j ? Double.NaN : distance.between(pooled.get(i), pooled.get(j));
                if (!Double.isNaN(d)) {
                    sum += d;
                    pairs++;
                }
            }
        }
        double expected = pairs == 0 ? Double.NaN : sum / pairs;
        Map<String, Double> perTask = new LinkedHashMap<>();
        taskObserved.forEach((task, s) -> perTask.put(task, expected > 0 && s[1] > 0 ? 1 - (s[0] / s[1]) / expected : Double.NaN));
        double alpha = pooled.size() < 2 || !(expected > 0) || observedPairs == 0 ? Double.NaN
                : 1 - (observedSum / observedPairs) / expected;
        return new Krippendorff.Agreement(alpha, perTask, pooled.size());
    }
}
