package dev.groundwork.core.spi;

import java.util.ArrayList;
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

  /** Whether {@link #embedDocumentsWithTokens} yields token signatures (the default does not). */
  default boolean tokenSignatures() {
    return false;
  }

  /**
   * Embeds passages with the token signatures that late interaction rescoring compares, in input
   * order. Models without token states return vectors only (the default).
   */
  default List<Embedding> embedDocumentsWithTokens(List<String> texts) {
    List<Embedding> out = new ArrayList<>(texts.size());
    for (float[] v : embedDocuments(texts)) out.add(Embedding.of(v));
    return out;
  }

  /** Embeds a search query with its token signature where the model has one (the default has none). */
  default Embedding embedQueryWithTokens(String query) {
    return Embedding.of(embedQuery(query));
  }

  /** Number of model tokens in {@code text} (after any query prefix is not added). */
  int countTokens(String text);

  @Override
  default void close() {}
}
