package dev.groundwork.bench;

import java.util.List;
import java.util.Locale;

/** A small inline-SVG line chart on the unit square (both axes 0..1), for the HTML reports. */
final class SvgChart {
  /** One line: its name (the legend), colour and points (x, y in 0..1). */
  record Series(String name, String color, List<double[]> points, boolean dots) {}

  private SvgChart() {}

  static String lines(String xLabel, String yLabel, List<Series> series) {
    int w = 520, hgt = 340, x0 = 60, y0 = 290, size = 240;
    StringBuilder s = new StringBuilder(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">", w, hgt));
    s.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", x0, y0, x0 + size, y0));
    s.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", x0, y0, x0, y0 - size));
    for (int i = 0; i <= 4; i++) {
      double v = i / 4.0;
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%.2f</text>", x0 + v * size, y0 + 16, v));
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%.2f</text>", x0 - 6, y0 - v * size + 4, v));
    }
    s.append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s</text>", x0 + size / 2, y0 + 34, esc(xLabel)));
    s.append(String.format("<text x=\"14\" y=\"%d\" font-size=\"12\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">%s</text>", y0 - size / 2,
        y0 - size / 2, esc(yLabel)));
    int legend = 20;
    for (Series line : series) {
      StringBuilder pts = new StringBuilder(), dots = new StringBuilder();
      for (double[] p : line.points()) {
        double x = x0 + clamp(p[0]) * size, y = y0 - clamp(p[1]) * size;
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        if (line.dots()) dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>", x, y, line.color()));
      }
      s.append("<polyline fill=\"none\" stroke=\"").append(line.color()).append("\" points=\"").append(pts.toString().strip()).append("\"/>").append(dots);
      s.append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"%s\">%s</text>", x0 + size + 10, legend, line.color(), esc(line.name())));
      legend += 16;
    }
    return s.append("</svg>").toString();
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
