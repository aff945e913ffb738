package org.rlhf4j.host.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Small inline SVG charts for the HTML reports: lines (a metric per step), scatter plots (score against
 * length) and horizontal bars (a distribution), with ticks and a grid on every axis ({@link ChartAxes}) and a legend. No scripts, no external files; every
 * text is escaped.
 */
public final class SvgChart {

    /** One series: its name in the legend, colour, points (x, y), and whether the points are joined. */
    public record Series(String name, String color, List<double[]> points, boolean joined) {
    }

    private static final int WIDTH = 560;
    private static final int HEIGHT = 240;
    private static final int LEFT = 60;
    private static final int RIGHT = 20;
    private static final int TOP = 44;
    private static final int BOTTOM = 36;

    private SvgChart() {
    }

    /** The chart, or a short note when no series has a point. */
    public static String render(String title, String xLabel, String yLabel, List<Series> series) {
        ChartAxes axes = ChartAxes.of(series);
        if (axes == null) {
            return "<p>" + HtmlReport.esc(title) + ": no data.</p>";
        }
        double sx = (WIDTH - LEFT - RIGHT) / (axes.maxX() - axes.minX());
        double sy = (HEIGHT - TOP - BOTTOM) / (axes.maxY() - axes.minY());
        int bottom = HEIGHT - BOTTOM;
        StringBuilder b = open(WIDTH, HEIGHT, title);
        for (double t : axes.yTicks()) { // a grid line and a label at every tick of each axis
            double y = bottom - (t - axes.minY()) * sy;
            b.append(line(LEFT, number(y), WIDTH - RIGHT, number(y), "#e4e4e4"))
                    .append(text(String.valueOf(LEFT - 4), number(y + 4), "end", "normal", number(t)));
        }
        for (double t : axes.xTicks()) {
            String x = number(LEFT + (t - axes.minX()) * sx);
            b.append(line(x, TOP, x, bottom, "#e4e4e4"))
                    .append(text(x, String.valueOf(bottom + 14), "middle", "normal", number(t)));
        }
        b.append(line(LEFT, bottom, WIDTH - RIGHT, bottom, "#888")).append(line(LEFT, TOP, LEFT, bottom, "#888"))
                .append(text((LEFT + WIDTH - RIGHT) / 2, HEIGHT - 6, "middle", "normal", xLabel))
                .append("<text x=\"12\" y=\"").append((TOP + bottom) / 2).append("\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 12 ")
                .append((TOP + bottom) / 2).append(")\">").append(HtmlReport.esc(yLabel)).append("</text>");
        int legend = 0;
        for (Series s : series) {
            StringBuilder path = new StringBuilder();
            for (double[] p : s.points()) {
                if (!Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
                    continue;
                }
                String px = number(LEFT + (p[0] - axes.minX()) * sx);
                String py = number(bottom - (p[1] - axes.minY()) * sy);
                if (s.joined()) {
                    path.append(path.length() == 0 ? "M" : " L").append(px).append(' ').append(py);
                } else {
                    b.append("<circle cx=\"").append(px).append("\" cy=\"").append(py).append("\" r=\"2.5\" fill=\"")
                            .append(s.color()).append("\" fill-opacity=\"0.6\"/>");
                }
            }
            if (s.joined() && path.length() > 0) {
                b.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(s.color()).append("\" stroke-width=\"1.5\"/>");
            }
            int lx = LEFT + 130 * legend++; // the legend runs along the band between the title and the plot
            b.append("<rect x=\"").append(lx).append("\" y=\"24\" width=\"10\" height=\"10\" fill=\"")
                    .append(s.color()).append("\"/>").append(text(lx + 14, 33, "start", "normal", s.name()));
        }
        return b.append("</svg>").toString();
    }

    /**
     * A horizontal bar per entry of {@code values} (a distribution: counts per language, per category), in the
     * map's order, with a labelled value axis and grid; the value is written at the end of each bar.
     */
    public static String bars(String title, String valueLabel, Map<String, ? extends Number> values) {
        if (values.isEmpty()) {
            return "<p>" + HtmlReport.esc(title) + ": no data.</p>";
        }
        double max = 0;
        for (Number v : values.values()) {
            max = Math.max(max, v.doubleValue());
        }
        List<Double> ticks = ChartAxes.ticks(0, max);
        double top = ticks.get(ticks.size() - 1);
        int left = 150;
        int row = 18;
        int plotTop = 30;
        int height = plotTop + row * values.size() + 36;
        int bottom = height - 36;
        double sx = (WIDTH - left - RIGHT - 40) / top;
        StringBuilder b = open(WIDTH, height, title);
        for (double t : ticks) {
            String x = number(left + t * sx);
            b.append(line(x, plotTop, x, bottom, "#e4e4e4"))
                    .append(text(x, String.valueOf(bottom + 14), "middle", "normal", number(t)));
        }
        int i = 0;
        for (Map.Entry<String, ? extends Number> e : values.entrySet()) {
            int y = plotTop + row * i++;
            double w = e.getValue().doubleValue() * sx;
            b.append(text(left - 6, y + 13, "end", "normal", e.getKey()))
                    .append("<rect x=\"").append(left).append("\" y=\"").append(y + 3).append("\" width=\"").append(number(w))
                    .append("\" height=\"").append(row - 6).append("\" fill=\"#4a7\"/>")
                    .append(text(number(left + w + 4), String.valueOf(y + 13), "start", "normal", number(e.getValue().doubleValue())));
        }
        b.append(line(left, bottom, WIDTH - RIGHT, bottom, "#888")).append(line(left, plotTop, left, bottom, "#888"))
                .append(text((left + WIDTH - RIGHT) / 2, height - 6, "middle", "normal", valueLabel));
        return b.append("</svg>").toString();
    }

    /** The opening of a chart: the svg element, its title (for screen readers and as a tooltip), background, heading. */
    private static StringBuilder open(int width, int height, String title) {
        return new StringBuilder().append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" role=\"img\"><title>")
                .append(HtmlReport.esc(title)).append("</title>")
                .append("<rect x=\"0\" y=\"0\" width=\"").append(width).append("\" height=\"").append(height).append("\" fill=\"#fff\"/>")
                .append(text(width / 2, 16, "middle", "bold", title));
    }

    private static String line(Object x1, Object y1, Object x2, Object y2, String stroke) {
        return "<line x1=\"" + x1 + "\" y1=\"" + y1 + "\" x2=\"" + x2 + "\" y2=\"" + y2 + "\" stroke=\"" + stroke + "\"/>";
    }

    private static String text(int x, int y, String anchor, String weight, String s) {
        return text(String.valueOf(x), String.valueOf(y), anchor, weight, s);
    }

    private static String text(String x, String y, String anchor, String weight, String s) {
        return "<text x=\"" + x + "\" y=\"" + y + "\" font-size=\"11\" text-anchor=\"" + anchor + "\" font-weight=\"" + weight
                + "\">" + HtmlReport.esc(s) + "</text>";
    }

    /** Four significant digits, no exponent for ordinary sizes. */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return String.valueOf((long) v);
        }
        return String.format(Locale.ROOT, "%.4g", v).replaceFirst("(\\.\\d*?)0+($|e)", "$1$2").replaceFirst("\\.($|e)", "$1");
    }
}
