package dev.groundwork.eval;

import java.util.List;

/**
 * The outcome of one case.
 *
 * @param score weighted mean of the assertion scores, in [0, 1]
 * @param recall recall@k of the expected sources among the retrieved documents, null without expected_sources
 * @param error set when the case could not run (the question failed); the case then fails
 * @param runs how many times the case ran ({@code --repeat}); the other fields describe the first
 *     failing run, or the first run when all passed
 * @param passes how many of those runs passed
 */
public record CaseResult(String id, List<String> tags, String question, String answer, boolean refused, boolean passed,
    double score, List<Assertion.Outcome> outcomes, Double recall, Double mrr, Double ndcg, long latencyMs, Double costUsd,
    String error, int runs, int passes) {
  public CaseResult {
    tags = List.copyOf(tags);
    outcomes = List.copyOf(outcomes);
  }

  /** True when the case both passed and failed across its runs. */
  public boolean flaky() {
    return passes > 0 && passes < runs;
  }

  CaseResult withRepeats(int runs, int passes) {
    return new CaseResult(id, tags, question, answer, refused, passes == runs, score, outcomes, recall, mrr, ndcg, latencyMs, costUsd,
        error, runs, passes);
  }

  /** The first failure message, or "" when the case passed. */
  public String firstFailure() {
    if (error != null) return error;
    return outcomes.stream().filter(o -> !o.passed()).map(o -> o.type() + ": " + o.message()).findFirst().orElse("");
  }
}
