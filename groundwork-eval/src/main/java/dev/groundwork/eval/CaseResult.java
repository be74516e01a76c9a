package dev.groundwork.eval;

import java.util.List;

/**
 * The outcome of one case.
 *
 * @param score weighted mean of the assertion scores, in [0, 1]
 * @param recall recall@k of the expected sources among the retrieved documents, null without expected_sources
 * @param error set when the case could not run (the question failed); the case then fails
 */
public record CaseResult(String id, List<String> tags, String question, String answer, boolean refused, boolean passed,
    double score, List<Assertion.Outcome> outcomes, Double recall, Double mrr, Double ndcg, long latencyMs, Double costUsd,
    String error) {
  public CaseResult {
    tags = List.copyOf(tags);
    outcomes = List.copyOf(outcomes);
  }

  /** The first failure message, or "" when the case passed. */
  public String firstFailure() {
    if (error != null) return error;
    return outcomes.stream().filter(o -> !o.passed()).map(o -> o.type() + ": " + o.message()).findFirst().orElse("");
  }
}
