package dev.groundwork.eval;

import dev.groundwork.core.Answer;

/**
 * A check of one answer. Implementations are immutable and thread-safe. {@link #check} never
 * throws for a bad answer: it returns a failed {@link Outcome} whose message says what was expected
 * and what was found.
 */
public interface Assertion {
  /** The type name used in suites, e.g. {@code contains}. */
  String type();

  /** Relative weight of this assertion in the case score. */
  double weight();

  Outcome check(EvalCase c, Answer answer);

  /**
   * The result of one assertion.
   *
   * @param score in [0, 1]; 1 or 0 for yes/no checks
   * @param message empty when passed, else what went wrong
   */
  record Outcome(String type, boolean passed, double score, double weight, String message) {
    static Outcome of(Assertion a, boolean passed, String failure) {
      return new Outcome(a.type(), passed, passed ? 1 : 0, a.weight(), passed ? "" : failure);
    }
  }
}
