package org.rlhf4j.host.classify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Precision, recall and F1 per class, and accuracy, of predictions against gold labels on held-out
 * examples, as the data report shows them.
 */
public final class Evaluation {

    private final List<String> labels;
    private final int[][] confusion;
    private int total;

    public Evaluation(List<String> labels) {
        this.labels = labels;
        this.confusion = new int[labels.size()][labels.size()];
    }

    /** Records one prediction. */
    public void add(int gold, int predicted) {
        confusion[gold][predicted]++;
        total++;
    }

    public int total() {
        return total;
    }

    public double accuracy() {
        int right = 0;
        for (int i = 0; i < labels.size(); i++) {
            right += confusion[i][i];
        }
        return total == 0 ? 0 : (double) right / total;
    }

    public double precision(int c) {
        int predicted = 0;
        for (int[] row : confusion) {
            predicted += row[c];
        }
        return predicted == 0 ? 0 : (double) confusion[c][c] / predicted;
    }

    public double recall(int c) {
        int gold = 0;
        for (int v : confusion[c]) {
            gold += v;
        }
        return gold == 0 ? 0 : (double) confusion[c][c] / gold;
    }

    /** {@code {accuracy, held-out, per-class: {label: {precision, recall, f1, support}}}}. */
    public Map<String, Object> report() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("held-out", total);
        r.put("accuracy", round(accuracy()));
        Map<String, Object> per = new LinkedHashMap<>();
        for (int c = 0; c < labels.size(); c++) {
            int support = 0;
            for (int v : confusion[c]) {
                support += v;
            }
            double p = precision(c);
            double rc = recall(c);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("precision", round(p));
            m.put("recall", round(rc));
            m.put("f1", round(p + rc == 0 ? 0 : 2 * p * rc / (p + rc)));
            m.put("support", support);
            per.put(labels.get(c), m);
        }
        r.put("per-class", per);
        return r;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
