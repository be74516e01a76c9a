package dev.groundwork.core;

import java.util.List;

/**
 * What {@code ask} returns.
 *
 * @param text the answer, with {@code [n]} markers that map to {@link #citations()}
 * @param refused true when the answerer found no sufficient evidence and said so instead of guessing
 * @param retrieved the ranked chunks the answer was built from (after fusion and auto-merge)
 * @param costUsd total cost, or null when a price is unknown (never 0 for an unknown price)
 * @param evidence the answerer's evidence score in [0,1] for its best supporting passage
 */
public record Answer(
    String text,
    List<Citation> citations,
    List<ScoredChunk> retrieved,
    String model,
    Usage usage,
    Double costUsd,
    long latencyMs,
    boolean refused,
    double evidence) {

  public Answer {
    citations = List.copyOf(citations);
    retrieved = List.copyOf(retrieved);
  }

  public Answer withTiming(long latencyMs, Usage usage) {
    return new Answer(text, citations, retrieved, model, usage, costUsd, latencyMs, refused, evidence);
  }
}
