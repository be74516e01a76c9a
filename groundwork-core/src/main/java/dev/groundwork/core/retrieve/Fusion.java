package dev.groundwork.core.retrieve;

import dev.groundwork.core.ScoredChunk;
import java.util.List;

/**
 * Combines several rankings of the same candidates into one. Output is ordered by
 * {@link ScoredChunk#RANKING} (fused score descending, then chunk id) and holds each chunk once.
 */
public interface Fusion {
  String name();

  List<ScoredChunk> fuse(List<Ranking> rankings);
}
