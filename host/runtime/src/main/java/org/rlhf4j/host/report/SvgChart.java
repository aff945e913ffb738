package org.rlhf4j.host.report;

import java.util.List;
import java.util.Locale;

/**
 * Small inline SVG charts for the HTML reports: lines (a metric per step) and scatter plots (score against
 * length), with the axis ranges written at the corners and a legend. No scripts, no external files; every
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
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
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
            return "<p>" + HtmlReport.esc(title) + ": no data.</p>";
        }
        if (maxX == minX) {
            maxX = minX + 1;
        }
        if (maxY == minY) {
            maxY = minY + 1;
        }
        double x0 = minX;
        double y0 = minY;
        double sx = (WIDTH - LEFT - RIGHT) / (maxX - minX);
        double sy = (HEIGHT - TOP - BOTTOM) / (maxY - minY);
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\" role=\"img\"><title>")
                .append(HtmlReport.esc(title)).append("</title>")
                .append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" fill=\"#fff\"/>")
                .append(text(WIDTH / 2, 16, "middle", "bold", title));
        int bottom = HEIGHT - BOTTOM;
        b.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(bottom).append("\" x2=\"").append(WIDTH - RIGHT)
                .append("\" y2=\"").append(bottom).append("\" stroke=\"#888\"/>")
                .append("<line x1=\"").append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"").append(LEFT)
                .append("\" y2=\"").append(bottom).append("\" stroke=\"#888\"/>")
                .append(text(LEFT - 4, bottom, "end", "normal", number(minY)))
                .append(text(LEFT - 4, TOP + 8, "end", "normal", number(maxY)))
                .append(text(LEFT, bottom + 14, "start", "normal", number(minX)))
                .append(text(WIDTH - RIGHT, bottom + 14, "end", "normal", number(maxX)))
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
                String px = number(LEFT + (p[0] - x0) * sx);
                String py = number(bottom - (p[1] - y0) * sy);
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

    private static String text(int x, int y, String anchor, String weight, String s) {
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
