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
 * @param model the model that gave the answer (null when the case did not run, or in runs stored before it was recorded)
 * @param escalated for an answer of a route: whether it went past the route's first model; null otherwise
 */
public record CaseResult(String id, List<String> tags, String question, String answer, boolean refused, boolean passed,
    double score, List<Assertion.Outcome> outcomes, Double recall, Double mrr, Double ndcg, long latencyMs, Double costUsd,
    String error, int runs, int passes, String model, Boolean escalated) {
  public CaseResult {
    tags = List.copyOf(tags);
    outcomes = List.copyOf(outcomes);
  }

  /** A result without the answering model (runs stored before it was recorded read this way too). */
  public CaseResult(String id, List<String> tags, String question, String answer, boolean refused, boolean passed, double score,
      List<Assertion.Outcome> outcomes, Double recall, Double mrr, Double ndcg, long latencyMs, Double costUsd, String error, int runs, int passes) {
    this(id, tags, question, answer, refused, passed, score, outcomes, recall, mrr, ndcg, latencyMs, costUsd, error, runs, passes, null, null);
  }

  /** True when the case both passed and failed across its runs. */
  public boolean flaky() {
    return passes > 0 && passes < runs;
  }

  CaseResult withRepeats(int runs, int passes) {
    return new CaseResult(id, tags, question, answer, refused, passes == runs, score, outcomes, recall, mrr, ndcg, latencyMs, costUsd,
        error, runs, passes, model, escalated);
  }

  /** The first failure message, or "" when the case passed. */
  public String firstFailure() {
    if (error != null) return error;
    return outcomes.stream().filter(o -> !o.passed()).map(o -> o.type() + ": " + o.message()).findFirst().orElse("");
  }
}
