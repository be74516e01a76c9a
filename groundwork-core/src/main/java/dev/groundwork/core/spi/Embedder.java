package dev.groundwork.core.spi;

import java.util.List;

/**
 * Maps text to unit-length vectors. Implementations are thread-safe.
 */
public interface Embedder extends AutoCloseable {
  /** Stable name including the variant, e.g. {@code bge-small-en-v1.5-q}; part of cache keys. */
  String name();

  int dimension();

  /** Embeds passages (documents), in input order. */
  List<float[]> embedDocuments(List<String> texts);

  /** Embeds a search query (models such as bge add their query instruction here). */
  float[] embedQuery(String query);

  /** Number of model tokens in {@code text} (after any query prefix is not added). */
  int countTokens(String text);

  @Override
  default void close() {}
}
