package org.rlhf4j.host.evaluate;

/** The few statistics the evaluation reports: means, shares, Pearson's correlation; NaN written as null. */
final class Figures {

    private Figures() {
    }

    /** {@code x}, or null when it is NaN or infinite (JSON has no NaN; the report shows an empty cell). */
    static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }

    static double mean(double[] xs) {
        if (xs.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s / xs.length;
    }

    /** {@code count / n}; NaN when {@code n} is 0. */
    static double share(int count, int n) {
        return n == 0 ? Double.NaN : (double) count / n;
    }

    /** Pearson's r of (x, y); NaN when there are fewer than 2 points or either side is constant. */
    static double pearson(double[] x, double[] y) {
        int n = Math.min(x.length, y.length);
        if (n < 2) {
            return Double.NaN;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }
}
