package dev.groundwork.core;

/**
 * The outcome of checking an answer against its evidence before it is returned.
 *
 * @param verifier what checked it: {@code answerability} (the offline lexical check) or a model name
 * @param score how well the evidence supports the answer, 0..1
 * @param passed false when the answer was refused (or revised) because of this check
 * @param reason what the evidence lacks, for a person; empty when it passed
 */
public record Verification(String verifier, double score, boolean passed, String reason) {
  public Verification {
    reason = reason == null ? "" : reason;
  }
}
