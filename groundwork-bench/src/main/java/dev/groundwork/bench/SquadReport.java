package dev.groundwork.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
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
    List<SvgChart.Series> series = new ArrayList<>();
    series.add(new SvgChart.Series("same-paragraph", "#d9534f", r.curve().stream().map(p -> new double[] {p.containment(), p.falseSameParagraph()}).toList(), true));
    if (r.offTopic() > 0) {
      series.add(new SvgChart.Series("off-topic", "#f0ad4e", r.curve().stream().map(p -> new double[] {p.containment(), p.falseOffTopic()}).toList(), true));
    }
    return SvgChart.lines("containment on answerable questions", "false answers", series);
  }

  private static void cell(StringBuilder h, String name, double v) {
    h.append(String.format(Locale.ROOT, "<tr><td style=\"text-align:left\">%s</td><td>%.3f</td></tr>", esc(name), v));
  }

  private static String esc(String s) {
    return SvgChart.esc(s);
  }
}
