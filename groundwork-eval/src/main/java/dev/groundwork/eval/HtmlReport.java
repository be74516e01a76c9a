package dev.groundwork.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A self-contained HTML report (inline CSS and SVG, no scripts, nothing fetched): summary, charts of
 * pass rate by tag, assertion failures by type, latency and cost distributions, the baseline diff,
 * and every case with its answer and assertion results.
 */
public final class HtmlReport {
  private HtmlReport() {}

  /**
   * A section another part of the product adds to the report (the advisor's diagnosis, say): a bar
   * chart of shares (0..1) and a table.
   */
  public record Section(String title, String intro, String chartCaption, Map<String, Double> shares, List<String> header, List<List<String>> rows) {}

  public static String render(EvalRun run, RunComparison diff) {
    return render(run, diff, List.of());
  }

  public static String render(EvalRun run, RunComparison diff, List<Section> sections) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Groundwork eval: ").append(e(run.suite()))
        .append("</title><style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}"
            + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}.ok{color:#1a7f37}.fail{color:#cf222e}"
            + ".flaky{color:#9a6700}.charts{display:flex;flex-wrap:wrap;gap:2em}figure{margin:0}figcaption{font-weight:600}"
            + "details{margin:.2em 0}</style></head><body>");
    h.append("<h1>Suite ").append(e(run.suite())).append("</h1><p>Run <code>").append(e(run.id())).append("</code> &middot; ")
        .append(run.cases().size()).append(" cases &middot; pass rate <b>").append(String.format("%.1f%%", 100 * run.passRate()))
        .append("</b> (need ").append(String.format("%.1f%%", 100 * run.minPassRate())).append(") &middot; mean score ")
        .append(String.format("%.3f", run.meanScore())).append(" &middot; <b class=\"").append(run.succeeded() ? "ok\">PASSED" : "fail\">FAILED")
        .append("</b></p>");
    if (run.judge() != null && run.judge().calls() > 0) h.append("<p>").append(e(run.judge().summary())).append("</p>");
    h.append("<div class=\"charts\">");
    h.append(figure("Pass rate by tag", bars(passRateByTag(run), true)));
    h.append(figure("Assertion failures by type", bars(failuresByType(run), false)));
    h.append(figure("Latency (ms)", bars(histogram(run.cases().stream().map(c -> (double) c.latencyMs()).toList()), false)));
    h.append(figure("Cost per query (USD)", bars(histogram(run.cases().stream().map(c -> c.costUsd() == null ? 0.0 : c.costUsd()).toList()), false)));
    h.append("</div>");
    if (diff != null) {
      h.append("<h2>Compared with ").append(e(diff.baseline())).append("</h2><table><tr><th>metric</th><th>baseline</th><th>now</th></tr>");
      diff.aggregates().forEach((k, v) -> h.append("<tr><td>").append(e(k)).append("</td><td>").append(num(v[0])).append("</td><td>")
          .append(num(v[1])).append("</td></tr>"));
      h.append("</table>");
      if (diff.cases().stream().allMatch(d -> d.status() == RunComparison.Status.UNCHANGED)) {
        h.append("<p>No case changed.</p>");
      } else {
        h.append("<table><tr><th>case</th><th>change</th><th>assertions</th></tr>");
      }
      for (var d : diff.cases()) {
        if (d.status() == RunComparison.Status.UNCHANGED) continue;
        String cls = d.status() == RunComparison.Status.REGRESSED ? "fail" : d.status() == RunComparison.Status.IMPROVED ? "ok" : "";
        h.append("<tr><td>").append(e(d.id())).append("</td><td class=\"").append(cls).append("\">").append(d.status().name().toLowerCase())
            .append("</td><td>").append(e(String.join("; ", d.assertionChanges()))).append("</td></tr>");
      }
      if (diff.cases().stream().anyMatch(d -> d.status() != RunComparison.Status.UNCHANGED)) h.append("</table>");
    }
    for (Section sec : sections) {
      h.append("<h2>").append(e(sec.title())).append("</h2>");
      if (sec.intro() != null) h.append("<p>").append(e(sec.intro())).append("</p>");
      if (!sec.shares().isEmpty()) h.append("<div class=\"charts\">").append(figure(sec.chartCaption(), bars(sec.shares(), true))).append("</div>");
      if (!sec.rows().isEmpty()) {
        h.append("<table><tr>");
        for (String c : sec.header()) h.append("<th>").append(e(c)).append("</th>");
        h.append("</tr>");
        for (List<String> row : sec.rows()) {
          h.append("<tr>");
          for (String c : row) h.append("<td>").append(e(c)).append("</td>");
          h.append("</tr>");
        }
        h.append("</table>");
      }
    }
    h.append("<h2>Cases</h2>");
    for (CaseResult c : run.cases()) {
      String cls = c.flaky() ? "flaky" : c.passed() ? "ok" : "fail";
      h.append("<details><summary class=\"").append(cls).append("\">").append(c.flaky() ? "flaky" : c.passed() ? "ok" : "FAIL")
          .append(" &middot; ").append(e(c.id())).append(" &middot; ").append(String.format("%.2f", c.score())).append("</summary><p><b>Q:</b> ")
          .append(e(c.question())).append("<br><b>A:</b> ").append(e(c.answer())).append("</p><ul>");
      if (c.error() != null) h.append("<li class=\"fail\">").append(e(c.error())).append("</li>");
      for (var o : c.outcomes()) {
        h.append("<li class=\"").append(o.passed() ? "ok" : "fail").append("\">").append(e(o.type())).append(o.passed() ? "" : ": " + e(o.message())).append("</li>");
      }
      h.append("</ul></details>");
    }
    return h.append("</body></html>\n").toString();
  }

  public static void write(EvalRun run, RunComparison diff, Path file) throws IOException {
    write(run, diff, List.of(), file);
  }

  public static void write(EvalRun run, RunComparison diff, List<Section> sections, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, render(run, diff, sections), StandardCharsets.UTF_8);
  }

  static Map<String, Double> passRateByTag(EvalRun run) {
    Map<String, int[]> n = new TreeMap<>();
    for (CaseResult c : run.cases()) {
      for (String t : c.tags().isEmpty() ? List.of("(untagged)") : c.tags()) {
        int[] x = n.computeIfAbsent(t, k -> new int[2]);
        x[0] += c.passed() ? 1 : 0;
        x[1]++;
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    n.forEach((t, x) -> out.put(t, (double) x[0] / x[1]));
    return out;
  }

  static Map<String, Double> failuresByType(EvalRun run) {
    Map<String, Double> out = new TreeMap<>();
    for (CaseResult c : run.cases()) for (var o : c.outcomes()) if (!o.passed()) out.merge(o.type(), 1.0, Double::sum);
    if (out.isEmpty()) out.put("(none)", 0.0);
    return out;
  }

  /** Eight equal-width buckets between the smallest and largest value. */
  static Map<String, Double> histogram(List<Double> values) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (values.isEmpty()) return out;
    double lo = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double hi = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    int buckets = hi > lo ? 8 : 1;
    double w = hi > lo ? (hi - lo) / buckets : 1;
    double[] counts = new double[buckets];
    for (double v : values) counts[Math.min(buckets - 1, (int) ((v - lo) / w))]++;
    for (int i = 0; i < buckets; i++) out.put(num(lo + i * w) + (buckets > 1 ? "-" + num(lo + (i + 1) * w) : ""), counts[i]);
    return out;
  }

  /** A horizontal bar chart as inline SVG; fractions print as percentages. */
  static String bars(Map<String, Double> data, boolean fraction) {
    double max = fraction ? 1 : Math.max(1, data.values().stream().mapToDouble(Double::doubleValue).max().orElse(1));
    int rowH = 18;
    StringBuilder s = new StringBuilder(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"420\" height=\"%d\" role=\"img\">",
        rowH * Math.max(1, data.size()) + 4));
    int y = 2;
    for (var en : new ArrayList<>(data.entrySet())) {
      double len = 220 * en.getValue() / max;
      s.append(String.format("<text x=\"0\" y=\"%d\" font-size=\"11\">%s</text>", y + 12, e(cut(en.getKey(), 22))));
      s.append(String.format("<rect x=\"150\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#4c8bf5\"/>", y + 2, len, rowH - 6));
      s.append(String.format("<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%s</text>", 154 + len, y + 12,
          fraction ? String.format("%.0f%%", 100 * en.getValue()) : num(en.getValue())));
      y += rowH;
    }
    return s.append("</svg>").toString();
  }

  private static String figure(String caption, String svg) {
    return "<figure><figcaption>" + e(caption) + "</figcaption>" + svg + "</figure>";
  }

  private static String cut(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }

  private static String num(double d) {
    if (Double.isNaN(d)) return "-";
    return d == Math.rint(d) && Math.abs(d) < 1e9 ? String.valueOf((long) d) : String.format("%.4g", d);
  }

  private static String e(String s) {
    return JunitReport.esc(s);
  }
}
