package dev.groundwork.core;

import java.util.Comparator;
import java.util.Objects;

/** A chunk with the score a retriever gave it. Higher is better; scales differ between retrievers. */
public record ScoredChunk(Chunk chunk, double score) {
  /** Descending score, then ascending chunk id: the deterministic order of every ranking. */
  public static final Comparator<ScoredChunk> RANKING =
      Comparator.comparingDouble(ScoredChunk::score).reversed().thenComparing(s -> s.chunk().id());

  public ScoredChunk {
    Objects.requireNonNull(chunk, "chunk");
    if (Double.isNaN(score)) throw new IllegalArgumentException("NaN score for " + chunk.id());
  }

  public String id() {
    return chunk.id();
  }
}
