package dev.groundwork.bench;

import java.io.PrintWriter;
import java.util.Locale;

/** The SQuAD 2.0 benchmark's outputs: the console table and curve, and a self-contained HTML page with the curve as inline SVG. */
public final class SquadReport {
  private SquadReport() {}

  /** The metrics, then the risk-coverage curve with a bar per row. */
  public static void print(SquadV2Benchmark.Result r, PrintWriter out) {
    out.printf("SQuAD 2.0: articles %s (%d paragraphs), %d answerable + %d same-paragraph unanswerable + %d off-topic, k=%d, min_answerability=%.2f%n",
        r.articles(), r.paragraphs(), r.answerable(), r.unanswerable(), r.offTopic(), r.k(), r.threshold());
    out.printf("%-40s %8s%n", "metric", "value");
    row(out, "containment (answerable)", r.containment());
    row(out, "citation accuracy", r.citationAccuracy());
    row(out, "over-refusal (answerable)", r.overRefusal());
    row(out, "false answers, same-paragraph", r.falseSameParagraph());
    row(out, "  with the dataset's plausible span", r.plausibleRate());
    if (r.offTopic() > 0) row(out, "false answers, off-topic", r.falseOffTopic());
    row(out, "HasAns exact match", r.hasAnsExact());
    row(out, "HasAns F1", r.hasAnsF1());
    row(out, "NoAns accuracy", r.noAnsAccuracy());
    row(out, "exact match (all)", r.exact());
    row(out, "F1 (all)", r.f1());
    out.printf("%-40s %8.1f%n", "p50 ms per question", r.p50Ms());
    out.printf("%-40s %8.1f%n", "seconds", r.seconds());
    if (!r.scored()) {
      out.println("(no risk-coverage curve: the answers carry no answerability score)");
      return;
    }
    out.println();
    out.println("risk-coverage: each row refuses answers whose answerability is below the threshold");
    out.printf("%-9s %11s %10s %10s %9s  %s%n", "threshold", "containment", "false s-p", "false o-t", "refusals", "containment (#) | false answers, same-paragraph (x)");
    for (SquadV2Benchmark.Point p : r.curve()) {
      out.printf(Locale.ROOT, "%9.2f %11.3f %10.3f %10s %9.3f  %s%n", p.threshold(), p.containment(), p.falseSameParagraph(),
          r.offTopic() > 0 ? String.format(Locale.ROOT, "%.3f", p.falseOffTopic()) : "-", p.overRefusal(),
          bar('#', p.containment()) + " | " + bar('x', p.falseSameParagraph()));
    }
  }

  private static String bar(char c, double v) {
    int n = (int) Math.round(Math.max(0, Math.min(1, v)) * 20);
    return String.valueOf(c).repeat(n) + " ".repeat(20 - n);
  }

  private static void row(PrintWriter out, String name, double v) {
    out.printf(Locale.ROOT, "%-40s %8.3f%n", name, v);
  }

  /** A page with the figures and the curve: false answers (y) against containment (x), one point per threshold. */
  public static String html(SquadV2Benchmark.Result r) {
    StringBuilder h = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>SQuAD 2.0 risk-coverage</title>"
        + "<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}"
        + "td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}th{background:#f4f4f4}</style></head><body>");
    h.append("<h1>SQuAD 2.0: answers, refusals and the abstention threshold</h1>");
    h.append(String.format(Locale.ROOT, "<p>Articles %s, %d answerable, %d same-paragraph unanswerable, %d off-topic questions, k=%d. "
        + "Configured threshold (answer.min_answerability): %.2f.</p>", esc(String.valueOf(r.articles())), r.answerable(), r.unanswerable(),
        r.offTopic(), r.k(), r.threshold()));
    h.append("<table><tr><th>metric</th><th>value</th></tr>");
    cell(h, "containment", r.containment());
    cell(h, "citation accuracy", r.citationAccuracy());
    cell(h, "over-refusal", r.overRefusal());
    cell(h, "false answers, same-paragraph", r.falseSameParagraph());
    if (r.offTopic() > 0) cell(h, "false answers, off-topic", r.falseOffTopic());
    cell(h, "HasAns F1", r.hasAnsF1());
    cell(h, "NoAns accuracy", r.noAnsAccuracy());
    h.append("</table>");
    if (r.scored()) {
      h.append("<h2>Risk-coverage curve</h2><p>Each point is one threshold: higher thresholds refuse more, moving down and to the left.</p>");
      h.append(svg(r));
      h.append("<table><tr><th>threshold</th><th>containment</th><th>false, same-paragraph</th><th>false, off-topic</th><th>over-refusal</th></tr>");
      for (SquadV2Benchmark.Point p : r.curve()) {
        h.append(String.format(Locale.ROOT, "<tr><td>%.2f</td><td>%.3f</td><td>%.3f</td><td>%s</td><td>%.3f</td></tr>", p.threshold(),
            p.containment(), p.falseSameParagraph(), r.offTopic() > 0 ? String.format(Locale.ROOT, "%.3f", p.falseOffTopic()) : "-", p.overRefusal()));
      }
      h.append("</table>");
    }
    return h.append("</body></html>").toString();
  }

  private static String svg(SquadV2Benchmark.Result r) {
    int w = 460, hgt = 340, x0 = 60, y0 = 290, size = 240;
    StringBuilder s = new StringBuilder(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">", w, hgt));
    s.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", x0, y0, x0 + size, y0));
    s.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", x0, y0, x0, y0 - size));
    for (int i = 0; i <= 4; i++) {
      double v = i / 4.0;
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%.2f</text>", x0 + v * size, y0 + 16, v));
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%.2f</text>", x0 - 6, y0 - v * size + 4, v));
    }
    s.append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">containment on answerable questions</text>", x0 + size / 2, y0 + 34));
    s.append(String.format("<text x=\"14\" y=\"%d\" font-size=\"12\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">false answers</text>", y0 - size / 2, y0 - size / 2));
    s.append(line(r, false, x0, y0, size, "#d9534f"));
    if (r.offTopic() > 0) s.append(line(r, true, x0, y0, size, "#f0ad4e"));
    s.append(String.format("<text x=\"%d\" y=\"20\" font-size=\"12\" fill=\"#d9534f\">same-paragraph</text>", x0 + size + 10));
    if (r.offTopic() > 0) s.append(String.format("<text x=\"%d\" y=\"36\" font-size=\"12\" fill=\"#f0ad4e\">off-topic</text>", x0 + size + 10));
    return s.append("</svg>").toString();
  }

  private static String line(SquadV2Benchmark.Result r, boolean offTopic, int x0, int y0, int size, String color) {
    StringBuilder pts = new StringBuilder();
    StringBuilder dots = new StringBuilder();
    for (SquadV2Benchmark.Point p : r.curve()) {
      double x = x0 + p.containment() * size, y = y0 - (offTopic ? p.falseOffTopic() : p.falseSameParagraph()) * size;
      pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"><title>threshold %.2f</title></circle>", x, y, color,
          p.threshold()));
    }
    return "<polyline fill=\"none\" stroke=\"" + color + "\" points=\"" + pts.toString().strip() + "\"/>" + dots;
  }

  private static void cell(StringBuilder h, String name, double v) {
    h.append(String.format(Locale.ROOT, "<tr><td style=\"text-align:left\">%s</td><td>%.3f</td></tr>", esc(name), v));
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
