package dev.groundwork.core.answer;

import dev.groundwork.core.Answer;
import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.Step;
import dev.groundwork.core.Usage;
import dev.groundwork.core.model.PriceTable;
import dev.groundwork.core.model.TokenUsage;
import dev.groundwork.core.retrieve.HybridRetriever;
import dev.groundwork.core.retrieve.Ranking;
import dev.groundwork.core.retrieve.ReciprocalRankFusion;
import dev.groundwork.core.spi.Answerer;
import dev.groundwork.core.spi.Filter;
import dev.groundwork.core.spi.LiveSource;
import dev.groundwork.core.trace.Timeline;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * question -> retrieve top k -> answer, timed end to end, with the query embedding priced as the
 * first step. Thread-safe if its parts are.
 */
public final class AskPipeline {
  public static final int MAX_K = 50;
  private final HybridRetriever retriever;
  private final Answerer answerer;
  private final PriceTable prices;
  private final String embedderModel;
  private final LiveSource live;

  /**
   * @param embedderModel the embedder's priced name: {@code provider:model} for a hosted embedder, a
   *     bare name (a local model, free) otherwise
   */
  public AskPipeline(HybridRetriever retriever, Answerer answerer, PriceTable prices, String embedderModel) {
    this(retriever, answerer, prices, embedderModel, null);
  }

  /**
   * @param live web search and pages consulted for every question, fused with the local hits by
   *     reciprocal rank (k = 60); null for none
   */
  public AskPipeline(HybridRetriever retriever, Answerer answerer, PriceTable prices, String embedderModel, LiveSource live) {
    this.retriever = Objects.requireNonNull(retriever);
    this.answerer = Objects.requireNonNull(answerer);
    this.prices = Objects.requireNonNull(prices);
    this.embedderModel = Objects.requireNonNull(embedderModel);
    this.live = live;
  }

  public AskPipeline(HybridRetriever retriever, Answerer answerer) {
    this(retriever, answerer, PriceTable.DEFAULTS, "local");
  }

  public Answerer answerer() {
    return answerer;
  }

  /** @param k number of chunks to retrieve, 1..50 */
  public Answer ask(String question, int k, Filter filter) {
    return ask(question, k, filter, null);
  }

  /** @param onToken receives the answer text as it is generated, or null */
  public Answer ask(String question, int k, Filter filter, Consumer<String> onToken) {
    return ask(question, question, k, filter, onToken);
  }

  /**
   * Retrieves with {@code query} and answers {@code question} from what it found: a conversation's
   * follow-up is searched for with the topic the offline rule filled in, and answered as asked.
   */
  public Answer ask(String query, String question, int k, Filter filter, Consumer<String> onToken) {
    if (k < 1 || k > MAX_K) throw new IllegalArgumentException("k must be in 1.." + MAX_K + ", got " + k);
    long t0 = System.nanoTime();
    HybridRetriever.Result r = retriever.search(query, k, filter);
    List<ScoredChunk> hits = r.hits();
    List<String> notes = List.of();
    if (live != null) {
      LiveSource.Found w = live.search(query, k);
      hits = fuse(hits, w.hits(), k);
      notes = w.notes();
    }
    long retrievalMs = (System.nanoTime() - t0) / 1_000_000;
    if (Timeline.active()) Timeline.record("retrieval", t0, Map.of("groundwork.k", k, "groundwork.hits", r.hits().size()), null);
    long tAnswer = System.nanoTime();
    Answer a;
    try {
      a = onToken == null ? answerer.answer(question, hits) : answerer.answer(question, hits, onToken);
    } catch (RuntimeException e) {
      Timeline.record("answer", tAnswer, Map.of(), e);
      throw e;
    }
    if (Timeline.active()) Timeline.record("answer", tAnswer, Map.of("groundwork.refused", a.refused(), "groundwork.answered_by", a.model()), null);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    TokenUsage embed = new TokenUsage(r.embeddingTokens(), 0, 0, false);
    Double cost = embedderModel.contains(":") ? prices.cost(embedderModel, embed) : Double.valueOf(0.0);
    Step step = new Step("embed_query", embedderModel, embed, cost, 1);
    return a.withStepFirst(step, new Usage(0, 0, r.embeddingTokens())).withLatency(ms, retrievalMs).withNotes(notes);
  }

  /** Local and live hits in reciprocal-rank order (k = 60), each keeping its own score; the first {@code k}. */
  static List<ScoredChunk> fuse(List<ScoredChunk> local, List<ScoredChunk> web, int k) {
    if (web.isEmpty()) return local;
    Map<String, ScoredChunk> own = new java.util.HashMap<>();
    for (ScoredChunk c : web) own.putIfAbsent(c.id(), c);
    for (ScoredChunk c : local) own.put(c.id(), c);
    List<ScoredChunk> order = new ReciprocalRankFusion(60).fuse(List.of(new Ranking("local", local, 1), new Ranking("web", web, 1)));
    return order.subList(0, Math.min(k, order.size())).stream().map(c -> own.get(c.id())).toList();
  }
}
