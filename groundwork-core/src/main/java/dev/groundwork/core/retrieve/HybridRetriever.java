package dev.groundwork.core.retrieve;

import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.spi.Embedder;
import dev.groundwork.core.spi.Filter;
import dev.groundwork.core.spi.Index;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * BM25, dense or hybrid search over an {@link Index}. Hybrid takes the top {@code candidates} of
 * each ranking and fuses them; hierarchical leaves are then auto-merged into their parents. The
 * query is embedded only in dense and hybrid mode. Thread-safe if the index and embedder are.
 */
public final class HybridRetriever {
  private final Index index;
  private final Embedder embedder;
  private final RetrievalOptions options;

  public HybridRetriever(Index index, Embedder embedder, RetrievalOptions options) {
    this.index = Objects.requireNonNull(index, "index");
    this.embedder = Objects.requireNonNull(embedder, "embedder");
    this.options = Objects.requireNonNull(options, "options");
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
    int n = Math.max(k, options.candidates());
    List<ScoredChunk> bm25 = List.of();
    List<ScoredChunk> dense = List.of();
    long tokens = 0;
    if (mode != SearchMode.DENSE) bm25 = index.searchText(query, mode == SearchMode.BM25 ? k * 2 : n, filter);
    if (mode != SearchMode.BM25) {
      float[] v = embedder.embedQuery(query);
      tokens = embedder.countTokens(query);
      dense = index.searchVector(v, mode == SearchMode.DENSE ? k * 2 : n, filter);
    }
    List<ScoredChunk> ranked = switch (mode) {
      case BM25 -> bm25;
      case DENSE -> dense;
      case HYBRID -> options.fusion().fuse(List.of(
          new Ranking("bm25", bm25, options.bm25Weight()), new Ranking("dense", dense, options.denseWeight())));
    };
    List<ScoredChunk> top = new ArrayList<>(ranked.subList(0, Math.min(k, ranked.size())));
    if (options.autoMerge() <= 1) top = mergeAndRefill(top, ranked, k);
    return new Result(top, tokens);
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
