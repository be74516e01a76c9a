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
 * @param steps tokens and cost of each step (query embedding, generation, schema retry), in order
 * @param generation how a language model produced the text; null for the extractive answerer
 * @param retrievalMs time spent retrieving (query embedding, both rankings, fusion), part of latencyMs
 * @param verification the check of the answer against its evidence, or null when none ran
 * @param routing the models a route tried and why it escalated, or null when no route answered
 * @param rewrite a conversation's follow-up as asked and the standalone query used, or null for a single question
 * @param notes what went wrong on the way without failing the question (a live source that was down), one line each
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
    double evidence,
    List<Step> steps,
    Generation generation,
    long retrievalMs,
    Verification verification,
    Routing routing,
    QueryRewrite rewrite,
    List<String> notes) {

  public Answer {
    notes = notes == null ? List.of() : List.copyOf(notes);
    citations = List.copyOf(citations);
    retrieved = List.copyOf(retrieved);
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  /** An answer without notes. */
  public Answer(String text, List<Citation> citations, List<ScoredChunk> retrieved, String model, Usage usage, Double costUsd, long latencyMs,
      boolean refused, double evidence, List<Step> steps, Generation generation, long retrievalMs, Verification verification, Routing routing,
      QueryRewrite rewrite) {
    this(text, citations, retrieved, model, usage, costUsd, latencyMs, refused, evidence, steps, generation, retrievalMs, verification, routing, rewrite, null);
  }

  /** An answer to a single question (no conversation). */
  public Answer(String text, List<Citation> citations, List<ScoredChunk> retrieved, String model, Usage usage, Double costUsd, long latencyMs,
      boolean refused, double evidence, List<Step> steps, Generation generation, long retrievalMs, Verification verification, Routing routing) {
    this(text, citations, retrieved, model, usage, costUsd, latencyMs, refused, evidence, steps, generation, retrievalMs, verification, routing, null);
  }

  /** An answer no route produced. */
  public Answer(String text, List<Citation> citations, List<ScoredChunk> retrieved, String model, Usage usage, Double costUsd, long latencyMs,
      boolean refused, double evidence, List<Step> steps, Generation generation, long retrievalMs, Verification verification) {
    this(text, citations, retrieved, model, usage, costUsd, latencyMs, refused, evidence, steps, generation, retrievalMs, verification, null);
  }

  /** An answer whose retrieval time is not known yet (answerers leave it to the pipeline). */
  public Answer(String text, List<Citation> citations, List<ScoredChunk> retrieved, String model, Usage usage, Double costUsd, long latencyMs,
      boolean refused, double evidence, List<Step> steps, Generation generation) {
    this(text, citations, retrieved, model, usage, costUsd, latencyMs, refused, evidence, steps, generation, 0, null, null);
  }

  /** This answer with {@code v} recorded. */
  public Answer withVerification(Verification v) {
    return new Answer(text, citations, retrieved, model, usage, costUsd, latencyMs, refused, evidence, steps, generation, retrievalMs, v, routing, rewrite, notes);
  }

  /** An answer with {@code step} in front of the others, its tokens and cost added to the totals. */
  public Answer withStepFirst(Step step, Usage stepUsage) {
    List<Step> all = new java.util.ArrayList<>();
    all.add(step);
    all.addAll(steps);
    return new Answer(text, citations, retrieved, model, usage.plus(stepUsage), Step.total(all), latencyMs, refused, evidence, all, generation,
        retrievalMs, verification, routing, rewrite, notes);
  }

  /** An answer with {@code step} after the others, its tokens and cost added to the totals. */
  public Answer withStepLast(Step step, Usage stepUsage) {
    List<Step> all = new java.util.ArrayList<>(steps);
    all.add(step);
    return new Answer(text, citations, retrieved, model, usage.plus(stepUsage), Step.total(all), latencyMs, refused, evidence, all, generation,
        retrievalMs, verification, routing, rewrite, notes);
  }

  /**
   * This answer as a route's: the steps (and so the tokens and cost) of every attempt, in order, and
   * the route's record; {@code usage} is the attempts' total.
   */
  public Answer routed(Routing r, List<Step> allSteps, Usage total) {
    return new Answer(text, citations, retrieved, model, total, Step.total(allSteps), latencyMs, refused, evidence, allSteps, generation, retrievalMs,
        verification, r, rewrite, notes);
  }

  public Answer withLatency(long ms, long retrievalMs) {
    return new Answer(text, citations, retrieved, model, usage, costUsd, ms, refused, evidence, steps, generation, retrievalMs, verification, routing, rewrite, notes);
  }

  /** This answer to a conversation's follow-up, with how the follow-up was made standalone. */
  public Answer withRewrite(QueryRewrite r) {
    return new Answer(text, citations, retrieved, model, usage, costUsd, latencyMs, refused, evidence, steps, generation, retrievalMs, verification, routing, r, notes);
  }

  /** This answer with {@code more} notes after its own. */
  public Answer withNotes(List<String> more) {
    if (more.isEmpty()) return this;
    List<String> all = new java.util.ArrayList<>(notes);
    all.addAll(more);
    return new Answer(text, citations, retrieved, model, usage, costUsd, latencyMs, refused, evidence, steps, generation, retrievalMs, verification, routing,
        rewrite, all);
  }
}
