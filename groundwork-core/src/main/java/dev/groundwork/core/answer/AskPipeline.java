package dev.groundwork.core.answer;

import dev.groundwork.core.Answer;
import dev.groundwork.core.Usage;
import dev.groundwork.core.retrieve.HybridRetriever;
import dev.groundwork.core.spi.Answerer;
import dev.groundwork.core.spi.Filter;
import java.util.Objects;

/** question -> retrieve top k -> answer, timed end to end. Thread-safe if its parts are. */
public final class AskPipeline {
  public static final int MAX_K = 50;
  private final HybridRetriever retriever;
  private final Answerer answerer;

  public AskPipeline(HybridRetriever retriever, Answerer answerer) {
    this.retriever = Objects.requireNonNull(retriever);
    this.answerer = Objects.requireNonNull(answerer);
  }

  /** @param k number of chunks to retrieve, 1..50 */
  public Answer ask(String question, int k, Filter filter) {
    if (k < 1 || k > MAX_K) throw new IllegalArgumentException("k must be in 1.." + MAX_K + ", got " + k);
    long t0 = System.nanoTime();
    HybridRetriever.Result r = retriever.search(question, k, filter);
    Answer a = answerer.answer(question, r.hits());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    return a.withTiming(ms, a.usage().plus(new Usage(0, 0, r.embeddingTokens())));
  }
}
