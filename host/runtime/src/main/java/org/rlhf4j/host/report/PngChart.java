package org.rlhf4j.host.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The PNG twin of {@link SvgChart}: the same series, layout, ticks and grid ({@link ChartAxes}) and legend, drawn
 * with Java2D (headless) so a chart can be kept, pasted or compared outside the HTML report.
 */
public final class PngChart {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 320;
    private static final int LEFT = 70;
    private static final int RIGHT = 24;
    private static final int TOP = 52;
    private static final int BOTTOM = 40;

    private PngChart() {
    }

    /** Draws the chart into {@code file} (a PNG); with no finite point the plot area says so. */
    public static void write(Path file, String title, String xLabel, String yLabel, List<SvgChart.Series> series) throws IOException {
        System.setProperty("java.awt.headless", "true");
        ChartAxes axes = ChartAxes.of(series);
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            centered(g, title, WIDTH / 2, 18);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            int bottom = HEIGHT - BOTTOM;
            centered(g, xLabel, (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 6);
            AffineTransform plain = g.getTransform();
            g.rotate(-Math.PI / 2, 14, (TOP + bottom) / 2.0);
            centered(g, yLabel, 14, (TOP + bottom) / 2 + 4);
            g.setTransform(plain);
            if (axes == null) {
                centered(g, "no data", (LEFT + WIDTH - RIGHT) / 2, (TOP + bottom) / 2);
            } else {
                plot(g, series, axes);
            }
        } finally {
            g.dispose();
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this JVM for " + file);
        }
    }

    /** The grid and tick labels of both axes, the series and the legend. */
    private static void plot(Graphics2D g, List<SvgChart.Series> series, ChartAxes axes) {
        int bottom = HEIGHT - BOTTOM;
        double minX = axes.minX();
        double minY = axes.minY();
        double sx = (WIDTH - LEFT - RIGHT) / (axes.maxX() - minX);
        double sy = (bottom - TOP) / (axes.maxY() - minY);
        Color grid = new Color(0xe4e4e4);
        for (double t : axes.yTicks()) {
            int y = (int) Math.round(bottom - (t - minY) * sy);
            g.setColor(grid);
            g.drawLine(LEFT, y, WIDTH - RIGHT, y);
            g.setColor(Color.BLACK);
            right(g, SvgChart.number(t), LEFT - 4, y + 4);
        }
        for (double t : axes.xTicks()) {
            int x = (int) Math.round(LEFT + (t - minX) * sx);
            g.setColor(grid);
            g.drawLine(x, TOP, x, bottom);
            g.setColor(Color.BLACK);
            centered(g, SvgChart.number(t), x, bottom + 16);
        }
        g.setColor(Color.GRAY);
        g.drawLine(LEFT, bottom, WIDTH - RIGHT, bottom);
        g.drawLine(LEFT, TOP, LEFT, bottom);
        int legendX = LEFT;
        for (SvgChart.Series s : series) {
            Color color = Color.decode(s.color());
            g.setColor(color);
            g.setStroke(new BasicStroke(1.8f));
            Path2D.Double path = new Path2D.Double();
            boolean started = false;
            for (double[] p : s.points()) {
                if (!Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
                    continue;
                }
                double px = LEFT + (p[0] - minX) * sx;
                double py = bottom - (p[1] - minY) * sy;
                if (!s.joined()) {
                    g.fillOval((int) Math.round(px) - 3, (int) Math.round(py) - 3, 6, 6);
                } else if (started) {
                    path.lineTo(px, py);
                } else {
                    path.moveTo(px, py);
                    started = true;
                }
            }
            if (started) {
                g.draw(path);
            }
            g.fillRect(legendX, 28, 10, 10);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), legendX + 14, 38);
            legendX += Math.max(110, g.getFontMetrics().stringWidth(s.name()) + 30);
        }
    }

    private static void centered(Graphics2D g, String s, int x, int y) {
        g.drawString(s, x - g.getFontMetrics().stringWidth(s) / 2, y);
    }

    private static void right(Graphics2D g, String s, int x, int y) {
        g.drawString(s, x - g.getFontMetrics().stringWidth(s), y);
    }
}
