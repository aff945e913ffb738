package org.rlhf4j.host.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The axes of a chart, shared by {@link SvgChart} and {@link PngChart}: the range of the finite points of every
 * series, widened to "nice" round tick values (1, 2 or 5 times a power of ten, Heckbert's "Nice numbers for
 * graph labels", Graphics Gems, 1990), so each axis carries about five labelled ticks with a grid line at each.
 *
 * @param xTicks tick values along x, ascending, the first and last being the ends of the axis
 * @param yTicks tick values along y, likewise
 */
record ChartAxes(List<Double> xTicks, List<Double> yTicks) {

    /** Ticks per axis the layout aims at; the nice step gives between 3 and 8. */
    private static final int TICKS = 5;

    /** The axes of {@code series}, or null when no series has a finite point. */
    static ChartAxes of(List<SvgChart.Series> series) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (SvgChart.Series s : series) {
            for (double[] p : s.points()) {
                if (Double.isFinite(p[0]) && Double.isFinite(p[1])) {
                    minX = Math.min(minX, p[0]);
                    maxX = Math.max(maxX, p[0]);
                    minY = Math.min(minY, p[1]);
                    maxY = Math.max(maxY, p[1]);
                }
            }
        }
        if (minX > maxX) {
            return null;
        }
        return new ChartAxes(ticks(minX, maxX), ticks(minY, maxY));
    }

    /**
     * Round tick values covering {@code [min, max]}: the step is a nice number near range / (TICKS - 1), the
     * first tick the largest multiple of it at or below min, the last the smallest at or above max. A range of
     * width 0 is widened by a tenth of its value on each side (by 1 for 0).
     */
    static List<Double> ticks(double min, double max) {
        if (max == min) {
            double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
            min -= pad;
            max += pad;
        }
        double step = nice((max - min) / (TICKS - 1));
        double first = Math.floor(min / step) * step;
        double last = Math.ceil(max / step) * step;
        List<Double> out = new ArrayList<>();
        int n = (int) Math.round((last - first) / step);
        for (int i = 0; i <= n; i++) {
            double v = first + i * step;
            out.add(Math.abs(v) < step * 1e-9 ? 0.0 : v); // no "-0" and no 1e-17 for zero
        }
        return out;
    }

    /** The nice number nearest {@code x}: 1, 2 or 5 times a power of ten. */
    static double nice(double x) {
        double exponent = Math.floor(Math.log10(x));
        double fraction = x / Math.pow(10, exponent);
        double niceFraction = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
        return niceFraction * Math.pow(10, exponent);
    }

    double minX() {
        return xTicks.get(0);
    }

    double maxX() {
        return xTicks.get(xTicks.size() - 1);
    }

    double minY() {
        return yTicks.get(0);
    }

    double maxY() {
        return yTicks.get(yTicks.size() - 1);
    }
}
