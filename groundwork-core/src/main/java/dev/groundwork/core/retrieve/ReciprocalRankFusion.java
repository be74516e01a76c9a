package dev.groundwork.core.retrieve;

import dev.groundwork.core.Chunk;
import dev.groundwork.core.ScoredChunk;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion (Cormack et al., 2009): {@code score(d) = sum_i w_i / (k + rank_i(d))}
 * with 1-based ranks; a list that does not contain d adds nothing. Scores of the inputs are ignored,
 * so lists on any scale combine. Thread-safe.
 */
public final class ReciprocalRankFusion implements Fusion {
  private final int k;

  /** @param k the rank constant; 60 in the paper. Must be >= 1. */
  public ReciprocalRankFusion(int k) {
    if (k < 1) throw new IllegalArgumentException("rrf k must be >= 1, got " + k);
    this.k = k;
  }

  @Override
  public String name() {
    return "rrf";
  }

  @Override
  public List<ScoredChunk> fuse(List<Ranking> rankings) {
    Map<String, Double> score = new LinkedHashMap<>();
    Map<String, Chunk> chunks = new LinkedHashMap<>();
    for (Ranking r : rankings) {
      List<ScoredChunk> hits = r.hits();
      for (int i = 0; i < hits.size(); i++) {
        ScoredChunk h = hits.get(i);
        chunks.putIfAbsent(h.id(), h.chunk());
        score.merge(h.id(), r.weight() / (k + i + 1.0), Double::sum);
      }
    }
    List<ScoredChunk> out = new ArrayList<>(score.size());
    score.forEach((id, s) -> out.add(new ScoredChunk(chunks.get(id), s)));
    out.sort(ScoredChunk.RANKING);
    return out;
  }
}
