package dev.groundwork.core.retrieve;

import dev.groundwork.core.Chunk;
import dev.groundwork.core.ScoredChunk;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Auto-merge for hierarchical chunks: when at least {@code minLeaves} leaves of one parent and at
 * least {@code ratio} of all its leaves are among the results, they are replaced by the parent,
 * placed where its best leaf was and scored with that leaf's score. The result keeps the input order
 * otherwise and never holds a leaf together with its merged parent. Thread-safe.
 */
public final class AutoMerger {
  private final double ratio;
  private final int minLeaves;

  /** @param ratio in (0, 1]; values above 1 disable merging */
  public AutoMerger(double ratio, int minLeaves) {
    if (!(ratio > 0)) throw new IllegalArgumentException("retrieval.auto_merge must be > 0, got " + ratio);
    this.ratio = ratio;
    this.minLeaves = Math.max(2, minLeaves);
  }

  public List<ScoredChunk> merge(List<ScoredChunk> hits, Function<String, Optional<Chunk>> parents) {
    Map<String, Integer> count = new LinkedHashMap<>();
    for (ScoredChunk h : hits) {
      if (h.chunk().parentId() != null) count.merge(h.chunk().parentId(), 1, Integer::sum);
    }
    Set<String> merge = new HashSet<>();
    Map<String, Chunk> parentChunks = new LinkedHashMap<>();
    count.forEach((pid, c) -> {
      if (c < minLeaves) return;
      parents.apply(pid).ifPresent(p -> {
        if (p.childCount() > 0 && c >= ratio * p.childCount()) {
          merge.add(pid);
          parentChunks.put(pid, p);
        }
      });
    });
    if (merge.isEmpty()) return hits;
    List<ScoredChunk> out = new ArrayList<>();
    Set<String> placed = new HashSet<>();
    for (ScoredChunk h : hits) {
      String pid = h.chunk().parentId();
      if (pid != null && merge.contains(pid)) {
        if (placed.add(pid)) out.add(new ScoredChunk(parentChunks.get(pid), h.score()));
      } else {
        out.add(h);
      }
    }
    return out;
  }
}
