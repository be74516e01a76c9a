package dev.groundwork.core.retrieve;

import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.spi.Embedder;
import dev.groundwork.core.spi.Embedding;
import dev.groundwork.core.spi.Filter;
import dev.groundwork.core.spi.Index;
import dev.groundwork.core.text.Terms;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * BM25, dense or hybrid search over an {@link Index}. Hybrid takes the top {@code candidates} of
 * each ranking and fuses them, then rescores the top {@code lateDepth} fused hits by late interaction
 * where the embedder and index carry token signatures: the MaxSim of the query's tokens against each
 * chunk's tokens ({@link TokenSignatures}) is fused with the first-stage score by the same fusion,
 * weighted {@code lateWeight} to 1. A single pooled vector blurs a passage into one point; matching
 * token by token recovers the passage that states what the query asks even when it also says much
 * else. Hierarchical leaves are then auto-merged into their parents. The query is embedded only in
 * dense and hybrid mode. Thread-safe if the index and embedder are.
 */
public final class HybridRetriever {
  private final Index index;
  private final Embedder embedder;
  private final RetrievalOptions options;
  private final QueryOptions perQuery;

  /**
   * Settings that depend on the query: a retrieval adapter's tuned weights apply to the questions in
   * its scope only. Returning {@code configured} itself means no change.
   */
  @FunctionalInterface
  public interface QueryOptions {
    RetrievalOptions forQuery(String query, RetrievalOptions configured);
  }

  public HybridRetriever(Index index, Embedder embedder, RetrievalOptions options) {
    this(index, embedder, options, null);
  }

  /** @param perQuery decides each query's settings from {@code options}; null: {@code options} for every query */
  public HybridRetriever(Index index, Embedder embedder, RetrievalOptions options, QueryOptions perQuery) {
    this.index = Objects.requireNonNull(index, "index");
    this.embedder = Objects.requireNonNull(embedder, "embedder");
    this.options = Objects.requireNonNull(options, "options");
    this.perQuery = perQuery;
  }

  /** The hits of one search and what it cost. */
  public record Result(List<ScoredChunk> hits, long embeddingTokens) {}

  /** Top {@code k} (1..10000) chunks for {@code query}, best first. */
  public Result search(String query, int k, Filter filter) {
    return search(query, k, filter, options.mode());
  }

  public Result search(String query, int k, Filter filter, SearchMode mode) {
    if (k < 1 || k > 10_000) throw new IllegalArgumentException("k must be in 1..10000, got " + k);
    if (query == null || query.isBlank()) throw new IllegalArgumentException("the query is empty");
    if (perQuery != null) {
      RetrievalOptions o = perQuery.forQuery(query, options);
      if (o != options) return new HybridRetriever(index, embedder, o).search(query, k, filter, mode);
    }
    int n = Math.max(k, options.candidates());
    List<ScoredChunk> bm25 = List.of();
    List<ScoredChunk> dense = List.of();
    long tokens = 0;
    if (mode != SearchMode.DENSE) bm25 = index.searchText(query, mode == SearchMode.BM25 ? k * 2 : n, filter);
    Embedding q = null;
    if (mode != SearchMode.BM25) {
      boolean late = mode == SearchMode.HYBRID && options.lateWeight() > 0;
      q = late ? embedder.embedQueryWithTokens(query) : Embedding.of(embedder.embedQuery(query));
      tokens = embedder.countTokens(query);
      dense = index.searchVector(q.vector(), mode == SearchMode.DENSE ? k * 2 : n, filter);
    }
    List<ScoredChunk> ranked = switch (mode) {
      case BM25 -> bm25;
      case DENSE -> dense;
      case HYBRID -> rescore(q, options.fusion().fuse(List.of(
          new Ranking("bm25", bm25, options.bm25Weight()), new Ranking("dense", dense, options.denseWeight()))));
    };
    List<ScoredChunk> top = new ArrayList<>(ranked.subList(0, Math.min(k, ranked.size())));
    if (options.autoMerge() <= 1) top = mergeAndRefill(top, ranked, k);
    return new Result(top, tokens);
  }

  /** Late interaction over the head of the fused ranking; the ranking unchanged when there is nothing to compare. */
  private List<ScoredChunk> rescore(Embedding query, List<ScoredChunk> fused) {
    byte[] queryTokens = query.tokens();
    if (TokenSignatures.tokens(queryTokens) == 0 || fused.isEmpty()) return fused;
    double[] weights = options.lateIdf() ? idfWeights(query.words(), TokenSignatures.tokens(queryTokens)) : null;
    List<ScoredChunk> head = fused.subList(0, Math.min(options.lateDepth(), fused.size()));
    Map<String, byte[]> signatures = index.tokenSignatures(head.stream().map(ScoredChunk::id).toList());
    double[] sims = new double[head.size()];
    double sum = 0;
    int scored = 0;
    for (int i = 0; i < head.size(); i++) {
      byte[] sig = signatures.get(head.get(i).id());
      sims[i] = sig == null ? Double.NaN : TokenSignatures.maxSim(queryTokens, sig, weights);
      if (!Double.isNaN(sims[i])) {
        sum += sims[i];
        scored++;
      }
    }
    if (scored == 0) return fused; // an index built without signatures
    // a chunk without a signature (ingested with them turned off) is neither lifted nor pushed down
    double neutral = sum / scored;
    List<ScoredChunk> late = new ArrayList<>(head.size());
    for (int i = 0; i < head.size(); i++) late.add(new ScoredChunk(head.get(i).chunk(), Double.isNaN(sims[i]) ? neutral : sims[i]));
    late.sort(ScoredChunk.RANKING);
    List<ScoredChunk> out = new ArrayList<>(fused.size());
    out.addAll(options.fusion().fuse(List.of(new Ranking("fused", head, 1.0), new Ranking("late", late, options.lateWeight()))));
    out.addAll(fused.subList(head.size(), fused.size()));
    return out;
  }

  /**
   * ln(1 + 1 / df) of each query token's word, df being the share of leaves that hold it; a stop word or
   * punctuation counts as held by all. Null (equal weights) when the embedder named no words.
   */
  private double[] idfWeights(List<String> words, int tokens) {
    if (words.size() != tokens) return null;
    double floor = 1.0 / Math.max(1, index.leafCount());
    Map<String, Double> df = new java.util.HashMap<>();
    double[] w = new double[tokens];
    for (int i = 0; i < tokens; i++) {
      String word = words.get(i) == null ? null : words.get(i).toLowerCase(java.util.Locale.ROOT);
      double f = word == null || Terms.STOP_WORDS.contains(word) ? 1.0 : df.computeIfAbsent(word, index::documentFrequency);
      w[i] = Math.log(1 + 1 / (f + floor));
    }
    return w;
  }

  /** Merges within the top k, then refills the freed places with the next hits not already covered. */
  private List<ScoredChunk> mergeAndRefill(List<ScoredChunk> top, List<ScoredChunk> ranked, int k) {
    List<ScoredChunk> merged = new AutoMerger(options.autoMerge(), 2).merge(top, index::chunk);
    if (merged.size() == top.size()) return top;
    java.util.Set<String> covered = new java.util.HashSet<>();
    for (ScoredChunk h : merged) if (h.chunk().isParent()) covered.add(h.id());
    List<ScoredChunk> out = new ArrayList<>(merged);
    for (int i = top.size(); i < ranked.size() && out.size() < k; i++) {
      ScoredChunk h = ranked.get(i);
      if (h.chunk().parentId() != null && covered.contains(h.chunk().parentId())) continue;
      out.add(h);
    }
    return out;
  }

  public RetrievalOptions options() {
    return options;
  }
}
