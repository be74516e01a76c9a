package dev.groundwork.core.spi;

import java.util.List;
import java.util.Objects;

/**
 * Base of an embedder decorator: everything passes through to the wrapped embedder, so a decorator
 * overrides only what it changes (queries, documents). Its name and dimension are the wrapped
 * embedder's, so indexes and embedding caches stay valid. Closing it closes nothing: the wrapped
 * embedder belongs to whoever opened it.
 */
public abstract class DelegatingEmbedder implements Embedder {
  protected final Embedder delegate;

  protected DelegatingEmbedder(Embedder delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public int dimension() {
    return delegate.dimension();
  }

  @Override
  public List<float[]> embedDocuments(List<String> texts) {
    return delegate.embedDocuments(texts);
  }

  @Override
  public float[] embedQuery(String query) {
    return delegate.embedQuery(query);
  }

  @Override
  public boolean tokenSignatures() {
    return delegate.tokenSignatures();
  }

  @Override
  public List<Embedding> embedDocumentsWithTokens(List<String> texts) {
    return delegate.embedDocumentsWithTokens(texts);
  }

  @Override
  public Embedding embedQueryWithTokens(String query) {
    return delegate.embedQueryWithTokens(query);
  }

  @Override
  public int countTokens(String text) {
    return delegate.countTokens(text);
  }
}
