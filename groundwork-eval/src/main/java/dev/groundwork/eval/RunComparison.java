package dev.groundwork.eval;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The difference between a baseline run and a current run of the same suite, case by case and
 * assertion by assertion, with the aggregate deltas and what changed in the runs' fingerprints (the
 * answerer, the configuration and other versions, the suite file...). A case <em>regressed</em> when it passed and now
 * fails, or failed both times with a lower score; <em>improved</em> is the mirror image.
 */
public record RunComparison(String baseline, String current, List<CaseDiff> cases, Map<String, double[]> aggregates, List<String> changed,
    List<String> prompts) {
  public enum Status { IMPROVED, REGRESSED, UNCHANGED, NEW, REMOVED }

  /**
   * One case's change.
   *
   * @param assertionChanges e.g. {@code "contains: pass -> fail"}, for assertions whose result changed
   */
  public record CaseDiff(String id, Status status, Boolean passedBefore, Boolean passedAfter, Double scoreBefore, Double scoreAfter,
      List<String> assertionChanges) {}

  public RunComparison {
    cases = List.copyOf(cases);
    aggregates = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(aggregates));
    changed = List.copyOf(changed);
    prompts = List.copyOf(prompts);
  }

  /**
   * Which prompt a run used: the stored prompt version of its prompt file ({@code prompt_file}, or
   * {@code unversioned:HASH} when the file is not stored), with the prompt template's hash
   * ({@code prompt_version}); {@code none} for an answerer that uses no prompt.
   */
  public static String prompt(EvalRun r) {
    Object file = r.fingerprint().get("prompt_file");
    Object hash = r.fingerprint().get("prompt_version");
    if (hash == null) return "none (" + r.fingerprint().getOrDefault("answerer", "no language model") + ")";
    return file == null ? "template " + hash : file + " (template " + hash + ")";
  }

  public static RunComparison compare(EvalRun before, EvalRun after) {
    Map<String, CaseResult> b = new LinkedHashMap<>();
    for (CaseResult c : before.cases()) b.put(c.id(), c);
    List<CaseDiff> diffs = new ArrayList<>();
    for (CaseResult a : after.cases()) {
      CaseResult p = b.remove(a.id());
      if (p == null) {
        diffs.add(new CaseDiff(a.id(), Status.NEW, null, a.passed(), null, a.score(), List.of()));
        continue;
      }
      Status s;
      if (p.passed() && !a.passed()) s = Status.REGRESSED;
      else if (!p.passed() && a.passed()) s = Status.IMPROVED;
      else if (!a.passed() && a.score() < p.score() - 1e-9) s = Status.REGRESSED;
      else if (!a.passed() && a.score() > p.score() + 1e-9) s = Status.IMPROVED;
      else s = Status.UNCHANGED;
      diffs.add(new CaseDiff(a.id(), s, p.passed(), a.passed(), p.score(), a.score(), assertionChanges(p, a)));
    }
    for (CaseResult p : b.values()) diffs.add(new CaseDiff(p.id(), Status.REMOVED, p.passed(), null, p.score(), null, List.of()));
    Map<String, double[]> agg = new LinkedHashMap<>();
    agg.put("pass_rate", new double[] {before.passRate(), after.passRate()});
    agg.put("mean_score", new double[] {before.meanScore(), after.meanScore()});
    agg.put("recall_at_k", new double[] {before.mean(CaseResult::recall), after.mean(CaseResult::recall)});
    agg.put("mrr", new double[] {before.mean(CaseResult::mrr), after.mean(CaseResult::mrr)});
    agg.put("ndcg", new double[] {before.mean(CaseResult::ndcg), after.mean(CaseResult::ndcg)});
    agg.put("cost_per_query_usd", new double[] {nan(before.costPerQuery()), nan(after.costPerQuery())});
    agg.put("latency_p50_ms", new double[] {before.latencyPercentile(50), after.latencyPercentile(50)});
    agg.put("latency_p95_ms", new double[] {before.latencyPercentile(95), after.latencyPercentile(95)});
    List<String> changed = new ArrayList<>();
    java.util.TreeSet<String> keys = new java.util.TreeSet<>(before.fingerprint().keySet());
    keys.addAll(after.fingerprint().keySet());
    for (String k : keys) {
      Object x = before.fingerprint().get(k);
      Object y = after.fingerprint().get(k);
      if (!java.util.Objects.equals(x, y)) changed.add(k + ": " + (x == null ? "-" : x) + " -> " + (y == null ? "-" : y));
    }
    return new RunComparison(before.id(), after.id(), diffs, agg, changed, List.of(prompt(before), prompt(after)));
  }

  private static double nan(Double d) {
    return d == null ? Double.NaN : d;
  }

  private static List<String> assertionChanges(CaseResult p, CaseResult a) {
    List<String> out = new ArrayList<>();
    int n = Math.min(p.outcomes().size(), a.outcomes().size());
    for (int i = 0; i < n; i++) {
      var x = p.outcomes().get(i);
      var y = a.outcomes().get(i);
      if (x.type().equals(y.type()) && x.passed() != y.passed()) {
        out.add(y.type() + ": " + (x.passed() ? "pass" : "fail") + " -> " + (y.passed() ? "pass" : "fail"));
      }
    }
    return out;
  }

  public long count(Status s) {
    return cases.stream().filter(c -> c.status() == s).count();
  }

  public boolean regressed() {
    return count(Status.REGRESSED) > 0;
  }

  /** Changed cases, then the aggregate deltas and the counts. */
  public void print(PrintWriter out) {
    out.printf("compared with %s:%n", baseline);
    out.printf("  prompt     %s%s%n", prompts.get(0), prompts.get(0).equals(prompts.get(1)) ? " (both)" : " -> " + prompts.get(1));
    for (String c : changed) out.printf("  changed    %s%n", c);
    for (CaseDiff d : cases) {
      if (d.status() == Status.UNCHANGED) continue;
      out.printf("  %-10s %-32s %s%n", d.status().name().toLowerCase(java.util.Locale.ROOT), d.id(),
          d.assertionChanges().isEmpty() ? "" : String.join("; ", d.assertionChanges()));
    }
    aggregates.forEach((k, v) -> out.printf("  %-20s %10s -> %-10s (%s)%n", k, fmt(v[0]), fmt(v[1]), delta(v[1] - v[0])));
    out.printf("  %d improved, %d regressed, %d unchanged, %d new, %d removed%n", count(Status.IMPROVED), count(Status.REGRESSED),
        count(Status.UNCHANGED), count(Status.NEW), count(Status.REMOVED));
  }

  private static String fmt(double d) {
    return Double.isNaN(d) ? "-" : String.format("%.4f", d);
  }

  private static String delta(double d) {
    return Double.isNaN(d) ? "n/a" : String.format("%+.4f", d);
  }
}
