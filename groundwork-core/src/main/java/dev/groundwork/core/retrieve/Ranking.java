package dev.groundwork.core.retrieve;

import dev.groundwork.core.ScoredChunk;
import java.util.List;

/** One retriever's ranked list and the weight fusion gives it. */
public record Ranking(String name, List<ScoredChunk> hits, double weight) {
  public Ranking {
    hits = List.copyOf(hits);
    if (!(weight >= 0) || Double.isInfinite(weight)) throw new IllegalArgumentException(name + " weight must be >= 0, got " + weight);
  }
}
