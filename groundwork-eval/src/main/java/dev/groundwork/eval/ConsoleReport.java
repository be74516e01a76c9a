package dev.groundwork.eval;

import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;

/** The console table of a run: one row per case, then pass rate by tag and the aggregates. */
public final class ConsoleReport {
  private ConsoleReport() {}

  public static void print(EvalRun run, PrintWriter out) {
    out.printf("suite %s: %d cases%n", run.suite(), run.cases().size());
    out.printf("  %-4s %-32s %6s  %s%n", "", "case", "score", "first failure");
    for (CaseResult c : run.cases()) {
      String status = c.flaky() ? "FLKY" : c.passed() ? "ok" : "FAIL";
      String note = c.runs() > 1 ? String.format("[%d/%d passed] ", c.passes(), c.runs()) : "";
      out.printf("  %-4s %-32s %6.2f  %s%n", status, cut(c.id(), 32), c.score(), cut(note + c.firstFailure(), 90));
    }
    Map<String, int[]> byTag = new TreeMap<>();
    for (CaseResult c : run.cases()) {
      for (String t : c.tags()) {
        int[] n = byTag.computeIfAbsent(t, x -> new int[2]);
        n[0] += c.passed() ? 1 : 0;
        n[1]++;
      }
    }
    if (!byTag.isEmpty()) {
      out.print("  by tag:");
      byTag.forEach((t, n) -> out.printf("  %s %d/%d", t, n[0], n[1]));
      out.println();
    }
    out.printf("  pass rate %.1f%% (%d/%d, need %.1f%%)  mean score %.3f%n", 100 * run.passRate(), run.passed(), run.cases().size(),
        100 * run.minPassRate(), run.meanScore());
    out.printf("  retrieval: recall@k %s  MRR %s  nDCG %s%n", fmt(run.mean(CaseResult::recall)), fmt(run.mean(CaseResult::mrr)),
        fmt(run.mean(CaseResult::ndcg)));
    Double cost = run.costPerQuery();
    out.printf("  latency p50 %.0f ms, p95 %.0f ms; cost per query %s; %.1f s%n", run.latencyPercentile(50), run.latencyPercentile(95),
        cost == null ? "unknown" : String.format("$%.6f", cost), run.seconds());
    if (run.judge() != null && run.judge().calls() > 0) out.println("  " + run.judge().summary());
    if (run.flaky() > 0) out.printf("  %d flaky case(s): they both passed and failed across repeats%n", run.flaky());
    if (run.partial()) out.println("  PARTIAL: interrupted; the finished cases are stored");
    out.println(run.succeeded() ? "  PASSED" : run.partial() ? "  FAILED: the run is partial"
        : "  FAILED: pass rate below " + String.format("%.1f%%", 100 * run.minPassRate()));
  }

  private static String fmt(double d) {
    return Double.isNaN(d) ? "-" : String.format("%.3f", d);
  }

  private static String cut(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 3) + "...";
  }
}
