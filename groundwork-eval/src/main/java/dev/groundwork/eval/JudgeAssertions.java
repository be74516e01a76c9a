package dev.groundwork.eval;

import dev.groundwork.core.Answer;

/** Assertions graded by a judge model. */
final class JudgeAssertions {
  private JudgeAssertions() {}

  /**
   * The judge scores the answer against a rubric; the case passes at {@code threshold} or above. A
   * judge that fails or answers unreadably fails the assertion with "judge error", never a pass.
   */
  record LlmRubric(String rubric, double threshold, LlmJudge judge, double weight) implements Assertion {
    public String type() { return "llm-rubric"; }

    public Outcome check(EvalCase c, Answer a) {
      try {
        LlmJudge.Verdict v = judge.rubric(c.question(), a.text(), rubric);
        boolean ok = v.score() >= threshold;
        return new Outcome(type(), ok, v.score(), weight, ok ? "" : String.format("judge %s: %.2f < %.2f: %s", judge.name(), v.score(), threshold, v.reason()));
      } catch (LlmJudge.JudgeException e) {
        return new Outcome(type(), false, 0, weight, "judge error: " + e.getMessage());
      }
    }
  }
}
