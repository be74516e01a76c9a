package dev.groundwork.core.spi;

import java.util.Objects;

/**
 * What an {@link Embedder} makes of one text: the pooled, unit-length {@code vector} used for
 * nearest-neighbour search, and the {@code tokens} signature of its individual tokens (see
 * {@link dev.groundwork.core.retrieve.TokenSignatures}) used to rescore the top hits by late
 * interaction. {@code tokens} is empty when the model does not provide one.
 */
public record Embedding(float[] vector, byte[] tokens) {
  private static final byte[] NONE = new byte[0];

  public Embedding {
    Objects.requireNonNull(vector, "vector");
    tokens = tokens == null ? NONE : tokens;
  }

  /** A vector without token signature. */
  public static Embedding of(float[] vector) {
    return new Embedding(vector, NONE);
  }

  public boolean hasTokens() {
    return tokens.length > 0;
  }
}
