package dev.groundwork.core.spi;

import dev.groundwork.core.ScoredChunk;
import java.util.List;

/**
 * Sources found at question time rather than in the index: web search results and configured pages.
 * Their chunks carry the page's URL as their source and the fetch time in their heading path, and
 * are fused with the local hits. A live source never fails a question: an outage, a timeout or an
 * unusable page gives fewer hits and a note saying why. Implementations are thread-safe.
 */
public interface LiveSource {
  /**
   * @param hits the chunks found, best first, scored in 0..1
   * @param notes what went wrong, one line each ("web search failed: ..."); empty when nothing did
   */
  record Found(List<ScoredChunk> hits, List<String> notes) {
    public Found {
      hits = List.copyOf(hits);
      notes = List.copyOf(notes);
    }
  }

  /** The live chunks for {@code query}, at most {@code k}. */
  Found search(String query, int k);
}
