package dev.groundwork.tuning;

import dev.groundwork.core.spi.DelegatingEmbedder;
import dev.groundwork.core.spi.Embedder;
import dev.groundwork.core.spi.Embedding;

/**
 * An embedder whose queries go through a {@link QueryAdapter}; documents are embedded exactly as by
 * the wrapped embedder, so the index and the embedding cache stay valid and {@link #name()} is the
 * wrapped embedder's. Token signatures (late interaction) are left as the model made them: the
 * adapter moves the pooled vector only.
 */
public final class AdaptedEmbedder extends DelegatingEmbedder {
  private final QueryAdapter adapter;
  private final String version;

  /** @param version the adapter's name, for traces and errors */
  public AdaptedEmbedder(Embedder inner, QueryAdapter adapter, String version) {
    super(inner);
    if (adapter.dimension() != inner.dimension()) {
      throw new IllegalArgumentException("adapter " + version + " maps " + adapter.dimension() + "-dimensional queries; " + inner.name() + " makes "
          + inner.dimension() + "-dimensional ones: it was trained for another embedder");
    }
    this.adapter = adapter;
    this.version = version;
  }

  public Embedder inner() {
    return delegate;
  }

  public String adapterVersion() {
    return version;
  }

  @Override
  public float[] embedQuery(String query) {
    return adapter.apply(delegate.embedQuery(query));
  }

  @Override
  public Embedding embedQueryWithTokens(String query) {
    Embedding e = delegate.embedQueryWithTokens(query);
    return new Embedding(adapter.apply(e.vector()), e.tokens(), e.words());
  }
}
