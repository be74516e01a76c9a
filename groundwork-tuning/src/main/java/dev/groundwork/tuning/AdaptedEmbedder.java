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
  private final TunedRetrieval tuned;

  /**
   * Fusion settings chosen on dev together with an adapter: they apply to the questions in its scope,
   * any other question keeps the configured ones.
   */
  public record TunedRetrieval(double bm25Weight, double denseWeight, double lateWeight) {
    public dev.groundwork.core.retrieve.RetrievalOptions applyTo(dev.groundwork.core.retrieve.RetrievalOptions configured) {
      return configured.withWeights(bm25Weight, denseWeight).withLateWeight(lateWeight);
    }
  }

  /** @param version the adapter's name, for traces and errors */
  public AdaptedEmbedder(Embedder inner, QueryAdapter adapter, String version) {
    this(inner, adapter, version, null);
  }

  /**
   * @param tuned fusion settings for the questions in the adapter's scope; null keeps the configured ones.
   *     {@code inner} should embed a query once per search ({@link dev.groundwork.core.spi.OncePerQueryEmbedder}),
   *     since the scope and the search both need its vector
   */
  public AdaptedEmbedder(Embedder inner, QueryAdapter adapter, String version, TunedRetrieval tuned) {
    super(inner);
    this.tuned = tuned;
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

  /** The fusion settings tuned with the adapter, if any. */
  public java.util.Optional<TunedRetrieval> tuned() {
    return java.util.Optional.ofNullable(tuned);
  }

  /**
   * The settings {@code query} is searched with: the tuned ones when there are some and the query is
   * in the adapter's scope, otherwise {@code configured} itself.
   */
  public dev.groundwork.core.retrieve.RetrievalOptions optionsFor(String query, dev.groundwork.core.retrieve.RetrievalOptions configured) {
    if (tuned == null || !adapter.inScope(delegate.embedQuery(query))) return configured;
    return tuned.applyTo(configured);
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
