package dev.groundwork.eval;

import dev.groundwork.core.metrics.RetrievalMetrics;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A stored run of one suite: what produced it (the fingerprint: models, embedder, k, suite hash, git
 * commit...), every case's result, and what the judge spent grading them ({@code judge}, null when no
 * judge was asked; the cases' own costs are those of the system under test). Format
 * {@code groundwork-eval-run}, version 1.
 */
public record EvalRun(String format, int version, String id, String suite, String started, double seconds, double minPassRate,
    boolean partial, Map<String, Object> fingerprint, List<CaseResult> cases, LlmJudge.Spend judge) {
  public static final String FORMAT = "groundwork-eval-run";

  public EvalRun {
    Objects.requireNonNull(id);
    cases = List.copyOf(cases);
    fingerprint = Map.copyOf(fingerprint);
  }

  /** This run under another id. */
  public EvalRun withId(String newId) {
    return new EvalRun(format, version, newId, suite, started, seconds, minPassRate, partial, fingerprint, cases, judge);
  }

  /** This run with what its judge spent. */
  public EvalRun withJudge(LlmJudge.Spend spend) {
    return new EvalRun(format, version, id, suite, started, seconds, minPassRate, partial, fingerprint, cases, spend);
  }

  public long passed() {
    return cases.stream().filter(CaseResult::passed).count();
  }

  public double passRate() {
    return cases.isEmpty() ? 0 : (double) passed() / cases.size();
  }

  public boolean succeeded() {
    return !partial && passRate() + 1e-12 >= minPassRate;
  }

  public long flaky() {
    return cases.stream().filter(CaseResult::flaky).count();
  }

  public double meanScore() {
    return cases.stream().mapToDouble(CaseResult::score).average().orElse(0);
  }

  /** Mean of a per-case retrieval metric over the cases that have it; NaN when none do. */
  public double mean(java.util.function.Function<CaseResult, Double> metric) {
    return cases.stream().map(metric).filter(Objects::nonNull).mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  public double latencyPercentile(double p) {
    return RetrievalMetrics.percentile(cases.stream().map(c -> (double) c.latencyMs()).toList(), p);
  }

  /** Mean cost per case, or null when any case's cost is unknown. */
  public Double costPerQuery() {
    if (cases.stream().anyMatch(c -> c.costUsd() == null)) return null;
    return cases.stream().mapToDouble(CaseResult::costUsd).average().orElse(0);
  }
}
