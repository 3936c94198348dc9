package dev.smimepki.bench.driver;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * The PNG of a run: one bar per ratio (ours / limit, ours / openssl, ours / slapd) on a log scale from 1/1000 to 100,
 * with the line at 1 (as fast as the reference). Plain Java2D, headless.
 */
public final class Plot {
    private static final double MIN = 1e-3;
    private static final double MAX = 1e2;
    private static final Map<String, Color> COLORS = Map.of("limit", new Color(0x3b6fb6), "openssl",
            new Color(0xd9822b), "slapd", new Color(0x3f9b4a));

    private Plot() {
    }

    /** Where on the axis (0..width) a ratio falls; clamped to the axis. */
    static int x(double ratio, int width) {
        double clamped = Math.max(MIN, Math.min(MAX, ratio));
        return (int) Math.round((Math.log10(clamped) - Math.log10(MIN)) / (Math.log10(MAX) - Math.log10(MIN))
                * width);
    }

    public static void write(List<Report.Ratio> ratios, String title, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int rowHeight = 22;
        int left = 330;
        int axis = 560;
        int top = 60;
        int width = left + axis + 40;
        int height = top + Math.max(1, ratios.size()) * rowHeight + 60;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(title, 10, 22);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            int legendX = 10;
            for (String against : List.of("limit", "openssl", "slapd")) {
                g.setColor(COLORS.get(against));
                g.fillRect(legendX, 32, 12, 12);
                g.setColor(Color.BLACK);
                g.drawString("ours / " + against, legendX + 16, 43);
                legendX += 110;
            }
            int bottom = top + ratios.size() * rowHeight;
            g.setColor(new Color(0xdddddd));
            for (double tick = MIN; tick <= MAX * 1.0001; tick *= 10) {
                int x = left + x(tick, axis);
                g.drawLine(x, top - 4, x, bottom);
            }
            g.setColor(Color.BLACK);
            for (double tick = MIN; tick <= MAX * 1.0001; tick *= 10) {
                int x = left + x(tick, axis);
                String label = tick >= 1 ? String.format(Locale.ROOT, "%.0f", tick) : String.valueOf(tick);
                g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, bottom + 16);
            }
            g.drawString("ratio, log scale (1 = as fast as the reference)", left + axis / 2 - 120, bottom + 34);
            int row = 0;
            for (Report.Ratio ratio : ratios) {
                int y = top + row * rowHeight;
                String label = ratio.figure() + " / " + ratio.against();
                g.setColor(Color.BLACK);
                g.drawString(label.length() > 50 ? label.substring(0, 49) + "…" : label, 10, y + 15);
                int one = left + x(1, axis);
                int end = left + x(ratio.ratio(), axis);
                g.setColor(COLORS.getOrDefault(ratio.against(), Color.GRAY));
                g.fillRect(Math.min(one, end), y + 4, Math.max(2, Math.abs(end - one)), rowHeight - 8);
                g.setColor(Color.DARK_GRAY);
                String value = String.format(Locale.ROOT, "%.2f", ratio.ratio());
                g.drawString(value, end >= one ? end + 4 : end - g.getFontMetrics().stringWidth(value) - 4, y + 15);
                row++;
            }
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(2));
            int one = left + x(1, axis);
            g.drawLine(one, top - 4, one, bottom);
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }
}
