package dev.groundwork.index.lucene;

/**
 * Settings of a {@link LuceneIndex}.
 *
 * @param embedder name of the embedder whose vectors the index holds (checked on open)
 * @param dimension vector dimension
 * @param quantized true: HNSW over int8 scalar-quantized vectors (about 4x less vector memory); false: float32
 * @param k1 BM25 term-frequency saturation
 * @param b BM25 length normalisation
 * @param titleBoost extra weight of matches in the title field, on top of the body (which also holds the title)
 */
public record LuceneIndexOptions(String embedder, int dimension, boolean quantized, float k1, float b, float titleBoost) {
  public LuceneIndexOptions {
    if (dimension < 1 || dimension > 4096) throw new IllegalArgumentException("vector dimension must be in 1..4096, got " + dimension);
    if (k1 < 0 || k1 > 10) throw new IllegalArgumentException("index.bm25_k1 must be in 0..10, got " + k1);
    if (b < 0 || b > 1) throw new IllegalArgumentException("index.bm25_b must be in 0..1, got " + b);
    if (titleBoost < 0) throw new IllegalArgumentException("index.title_boost must be >= 0, got " + titleBoost);
  }

  public static LuceneIndexOptions defaults(String embedder, int dimension) {
    return new LuceneIndexOptions(embedder, dimension, true, 0.9f, 0.4f, 0.5f);
  }
}
