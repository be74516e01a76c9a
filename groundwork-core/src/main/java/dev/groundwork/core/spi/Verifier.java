package dev.groundwork.core.spi;

import dev.groundwork.core.Answer;
import dev.groundwork.core.Step;
import dev.groundwork.core.Usage;

/**
 * Checks an answer against the sources it cites before it is returned: each cited sentence must be
 * entailed by its source, and the answer must address what the question specifically asks. One
 * verifier serves the answerer, eval's grounding check and a route's escalation check.
 */
public interface Verifier {
  /** What the verifier is, as answers record it: a model name, or {@code answerability}. */
  String name();

  /**
   * The verdict on one answer and what it cost.
   *
   * @param score 0..1, how well the sources support the answer and the answer meets the question
   * @param reason what is unsupported or missing, for a person; empty when nothing is
   * @param step the verification call, priced, for the answer's steps (null when nothing was called)
   * @param usage its tokens, added to the answer's totals
   */
  record Verdict(double score, String reason, Step step, Usage usage) {
    public Verdict {
      if (!(score >= 0 && score <= 1)) throw new IllegalArgumentException("a verification score must be in 0..1, got " + score);
      reason = reason == null ? "" : reason;
      usage = usage == null ? Usage.NONE : usage;
    }
  }

  /** @throws RuntimeException when the check could not be made (the caller refuses: better than guessing) */
  Verdict verify(String question, Answer answer);
}
