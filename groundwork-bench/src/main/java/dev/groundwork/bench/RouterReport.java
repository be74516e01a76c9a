package dev.groundwork.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code bench router}'s outputs: the console tables with bars, and an HTML page with the curve. */
public final class RouterReport {
  private RouterReport() {}

  public static void print(RouterBenchmark.Result r, PrintWriter out) {
    out.printf(Locale.ROOT, "router: weak %s (quality %.3f), strong %s (quality %.3f) on %d test prompts; trained on %d%n", r.weak(), r.weakQuality(),
        r.strong(), r.strongQuality(), r.nTest(), r.nTrain());
    out.printf("chosen on %d folds of train (seed %d): %s%n", r.choice().folds(), r.choice().seed(), r.choice().chosen().describe());
    int width = Math.max(44, r.choice().cvApgr().keySet().stream().mapToInt(k -> k.describe().length()).max().orElse(0));
    out.printf("%-" + width + "s %9s%n", "candidate", "CV APGR");
    for (var e : r.choice().cvApgr().entrySet()) {
      out.printf(Locale.ROOT, "%-" + width + "s %9.3f%s%n", e.getKey().describe(), e.getValue(), e.getKey().equals(r.choice().chosen()) ? "  <- chosen" : "");
    }
    out.println();
    out.printf("%-10s %7s %7s %7s%n", "test", "APGR", "CPT50", "CPT80");
    row(out, "router", r.apgr(), r.cpt50(), r.cpt80());
    row(out, "random", r.randomApgr(), Double.NaN, Double.NaN);
    row(out, "oracle", r.oracleApgr(), r.oracleCpt50(), r.oracleCpt80());
    out.printf(Locale.ROOT, "the router recovers %.0f%% of the oracle's APGR above random%n",
        100 * (r.apgr() - r.randomApgr()) / (r.oracleApgr() - r.randomApgr()));
    out.println();
    out.printf("%-12s %8s %8s %8s  %s%n", "strong share", "quality", "PGR", "oracle", "quality (#) from weak to strong");
    for (RouterBenchmark.Point p : r.curve()) {
      if (Math.round(p.strongShare() * 20) % 2 != 0) continue;
      double span = Math.max(1e-9, r.strongQuality() - r.weakQuality());
      int n = (int) Math.round(Math.max(0, Math.min(1.5, (p.quality() - r.weakQuality()) / span)) * 20);
      out.printf(Locale.ROOT, "%12.1f %8.3f %8.3f %8.3f  %s%n", p.strongShare(), p.quality(), p.pgr(), p.oracleQuality(), "#".repeat(n));
    }
    if (r.costs() != null) {
      out.println();
      out.printf("%-40s %12s %8s%n", "cost/quality frontier", "USD/query", "quality");
      for (RouterBenchmark.CostPoint p : r.costs().frontier()) out.printf(Locale.ROOT, "%-40s %12.6f %8.3f%n", p.name(), p.costUsd(), p.quality());
      RouterBenchmark.CostPoint at95 = r.costs().costAt95();
      out.printf(Locale.ROOT, "cheapest to reach 95%% of the best single model's quality (%.3f): %s%n", r.costs().bestSingleQuality(),
          at95 == null ? "none" : String.format(Locale.ROOT, "%s at $%.6f per query", at95.name(), at95.costUsd()));
    }
    out.printf(Locale.ROOT, "routing overhead per query (features + score): p50 %.1f us, p99 %.1f us; baseline (lower-case and split): p50 %.1f us, p99 %.1f us (x%.1f at p99)%n",
        r.scoreP50Us(), r.scoreP99Us(), r.baselineP50Us(), r.baselineP99Us(), r.scoreP99Us() / Math.max(1e-9, r.baselineP99Us()));
    out.printf(Locale.ROOT, "seconds %.1f%n", r.seconds());
  }

  private static void row(PrintWriter out, String name, double apgr, double cpt50, double cpt80) {
    out.printf(Locale.ROOT, "%-10s %7.3f %7s %7s%n", name, apgr, pct(cpt50), pct(cpt80));
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }

  public static String html(RouterBenchmark.Result r) {
    StringBuilder h = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Routing: quality against strong calls</title>"
        + "<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}"
        + "td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}th{background:#f4f4f4}</style></head><body>");
    h.append("<h1>Routing: quality against the share of strong-model calls</h1>");
    h.append(String.format(Locale.ROOT, "<p>Weak %s (%.3f), strong %s (%.3f); %d test prompts, router trained on %d. Chosen on %d folds of train: %s.</p>",
        SvgChart.esc(r.weak()), r.weakQuality(), SvgChart.esc(r.strong()), r.strongQuality(), r.nTest(), r.nTrain(), r.choice().folds(),
        SvgChart.esc(r.choice().chosen().describe())));
    h.append("<table><tr><th>router</th><th>APGR</th><th>CPT(50%)</th><th>CPT(80%)</th></tr>");
    h.append(String.format(Locale.ROOT, "<tr><td>learned</td><td>%.3f</td><td>%s</td><td>%s</td></tr>", r.apgr(), pct(r.cpt50()), pct(r.cpt80())));
    h.append(String.format(Locale.ROOT, "<tr><td>random</td><td>%.3f</td><td>-</td><td>-</td></tr>", r.randomApgr()));
    h.append(String.format(Locale.ROOT, "<tr><td>oracle</td><td>%.3f</td><td>%s</td><td>%s</td></tr></table>", r.oracleApgr(), pct(r.oracleCpt50()),
        pct(r.oracleCpt80())));
    // quality, rescaled to the weak..strong range so the chart uses its whole height
    double lo = r.weakQuality(), hi = Math.max(r.strongQuality(), r.curve().stream().mapToDouble(RouterBenchmark.Point::oracleQuality).max().orElse(1));
    java.util.function.ToDoubleFunction<Double> y = q -> (q - lo) / Math.max(1e-9, hi - lo);
    h.append(String.format(Locale.ROOT, "<p>The chart's height runs from the weak model's quality (%.3f) to the oracle's best (%.3f).</p>", lo, hi));
    h.append(SvgChart.lines("share of prompts sent to the strong model", "quality", List.of(
        new SvgChart.Series("learned router", "#0275d8", r.curve().stream().map(p -> new double[] {p.strongShare(), y.applyAsDouble(p.quality())}).toList(), true),
        new SvgChart.Series("random", "#999999", r.curve().stream().map(p -> new double[] {p.strongShare(), y.applyAsDouble(p.randomQuality())}).toList(), false),
        new SvgChart.Series("oracle", "#5cb85c", r.curve().stream().map(p -> new double[] {p.strongShare(), y.applyAsDouble(p.oracleQuality())}).toList(), false))));
    h.append("<h2>Candidates (cross-validated on train)</h2><table><tr><th>candidate</th><th>CV APGR</th></tr>");
    for (Map.Entry<dev.groundwork.routing.LearnedRouter.Spec, Double> e : r.choice().cvApgr().entrySet()) {
      h.append(String.format(Locale.ROOT, "<tr><td style=\"text-align:left\">%s</td><td>%.3f</td></tr>", SvgChart.esc(e.getKey().describe()), e.getValue()));
    }
    return h.append("</table></body></html>").toString();
  }
}
