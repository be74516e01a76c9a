package dev.groundwork.tuning;

import dev.groundwork.core.spi.Embedder;
import dev.groundwork.core.spi.Embedding;
import java.util.List;

/**
 * An embedder whose queries go through a {@link QueryAdapter}; documents are embedded exactly as by
 * the wrapped embedder, so the index and the embedding cache stay valid and {@link #name()} is the
 * wrapped embedder's. Token signatures (late interaction) are left as the model made them: the
 * adapter moves the pooled vector only.
 */
public final class AdaptedEmbedder implements Embedder {
  private final Embedder inner;
  private final QueryAdapter adapter;
  private final String version;

  /** @param version the adapter's name, for traces and errors */
  public AdaptedEmbedder(Embedder inner, QueryAdapter adapter, String version) {
    if (adapter.dimension() != inner.dimension()) {
      throw new IllegalArgumentException("adapter " + version + " maps " + adapter.dimension() + "-dimensional queries; " + inner.name() + " makes "
          + inner.dimension() + "-dimensional ones: it was trained for another embedder");
    }
    this.inner = inner;
    this.adapter = adapter;
    this.version = version;
  }

  public Embedder inner() {
    return inner;
  }

  public String adapterVersion() {
    return version;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public int dimension() {
    return inner.dimension();
  }

  @Override
  public List<float[]> embedDocuments(List<String> texts) {
    return inner.embedDocuments(texts);
  }

  @Override
  public float[] embedQuery(String query) {
    return adapter.apply(inner.embedQuery(query));
  }

  @Override
  public boolean tokenSignatures() {
    return inner.tokenSignatures();
  }

  @Override
  public List<Embedding> embedDocumentsWithTokens(List<String> texts) {
    return inner.embedDocumentsWithTokens(texts);
  }

  @Override
  public Embedding embedQueryWithTokens(String query) {
    Embedding e = inner.embedQueryWithTokens(query);
    return new Embedding(adapter.apply(e.vector()), e.tokens(), e.words());
  }

  @Override
  public int countTokens(String text) {
    return inner.countTokens(text);
  }

  /** Closing the decorator closes nothing: the wrapped embedder belongs to whoever opened it. */
  @Override
  public void close() {}
}
