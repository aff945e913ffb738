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
 * The PNG twin of {@link SvgChart}: the same series, layout, axis ranges at the corners and legend, drawn
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
            g.setColor(Color.GRAY);
            g.drawLine(LEFT, bottom, WIDTH - RIGHT, bottom);
            g.drawLine(LEFT, TOP, LEFT, bottom);
            g.setColor(Color.BLACK);
            centered(g, xLabel, (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 6);
            AffineTransform plain = g.getTransform();
            g.rotate(-Math.PI / 2, 14, (TOP + bottom) / 2.0);
            centered(g, yLabel, 14, (TOP + bottom) / 2 + 4);
            g.setTransform(plain);
            if (minX > maxX) {
                centered(g, "no data", (LEFT + WIDTH - RIGHT) / 2, (TOP + bottom) / 2);
            } else {
                plot(g, series, minX, maxX == minX ? minX + 1 : maxX, minY, maxY == minY ? minY + 1 : maxY);
            }
        } finally {
            g.dispose();
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this JVM for " + file);
        }
    }

    /** Axis ranges at the corners, the series and the legend. */
    private static void plot(Graphics2D g, List<SvgChart.Series> series, double minX, double maxX, double minY, double maxY) {
        int bottom = HEIGHT - BOTTOM;
        right(g, SvgChart.number(minY), LEFT - 4, bottom);
        right(g, SvgChart.number(maxY), LEFT - 4, TOP + 8);
        g.drawString(SvgChart.number(minX), LEFT, bottom + 16);
        right(g, SvgChart.number(maxX), WIDTH - RIGHT, bottom + 16);
        double sx = (WIDTH - LEFT - RIGHT) / (maxX - minX);
        double sy = (bottom - TOP) / (maxY - minY);
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
