package dev.groundwork.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.groundwork.core.Chunk;
import dev.groundwork.core.ScoredChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * What a search returns: {@code groundwork search --json} and {@code GET /api/search} print this
 * record, with these field names.
 *
 * @param mode the retrieval mode used: bm25, dense or hybrid
 * @param hits best first
 */
public record SearchResult(String query, String mode, int k, List<Hit> hits, @JsonProperty("latency_ms") long latencyMs) {
  public SearchResult {
    hits = List.copyOf(hits);
  }

  /**
   * One ranked chunk.
   *
   * @param merged true when auto-merge replaced the retrieved leaves by their whole section
   */
  public record Hit(int rank, @JsonProperty("chunk_id") String chunkId, double score, String source, String title, String heading, Integer page,
      int start, int end, boolean merged, String text) {
    static Hit of(int rank, ScoredChunk h) {
      Chunk c = h.chunk();
      return new Hit(rank, c.id(), Json.round(h.score()), c.source(), c.title(), c.heading(), c.page(), c.start(), c.end(), c.isParent(), c.text());
    }
  }

  static SearchResult of(String query, String mode, int k, List<ScoredChunk> ranked, long latencyMs) {
    List<Hit> hits = new ArrayList<>();
    for (ScoredChunk h : ranked) hits.add(Hit.of(hits.size() + 1, h));
    return new SearchResult(query, mode, k, hits, latencyMs);
  }
}
