package dev.groundwork.core.spi;

import java.util.List;
import java.util.Objects;

/**
 * What an {@link Embedder} makes of one text: the pooled, unit-length {@code vector} used for
 * nearest-neighbour search, and the {@code tokens} signature of its individual tokens (see
 * {@link dev.groundwork.core.retrieve.TokenSignatures}) used to rescore the top hits by late
 * interaction. {@code tokens} is empty when the model does not provide one. For a query, {@code words}
 * names the word each signature token belongs to (null for punctuation), so retrieval can weight the
 * tokens by how rare their words are; it is empty for passages.
 */
public record Embedding(float[] vector, byte[] tokens, List<String> words) {
  private static final byte[] NONE = new byte[0];

  public Embedding {
    Objects.requireNonNull(vector, "vector");
    tokens = tokens == null ? NONE : tokens;
    words = words == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(words));
  }

  public Embedding(float[] vector, byte[] tokens) {
    this(vector, tokens, List.of());
  }

  /** A vector without token signature. */
  public static Embedding of(float[] vector) {
    return new Embedding(vector, NONE, List.of());
  }

  public boolean hasTokens() {
    return tokens.length > 0;
  }
}
