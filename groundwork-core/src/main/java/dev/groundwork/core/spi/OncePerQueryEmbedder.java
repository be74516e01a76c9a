package dev.groundwork.core.spi;

/**
 * An embedder that embeds a query once when it is asked for the same query again on the same thread
 * (deciding whether a retrieval adapter applies to a query, then searching with it, needs its
 * unadapted vector twice). It keeps each thread's last query only, with its token signature where
 * the model makes one, so nothing is shared between threads and nothing grows. Documents pass
 * through.
 */
public final class OncePerQueryEmbedder extends DelegatingEmbedder {
  private record Last(String query, Embedding embedding) {}

  private final ThreadLocal<Last> last = new ThreadLocal<>();

  public OncePerQueryEmbedder(Embedder delegate) {
    super(delegate);
  }

  @Override
  public Embedding embedQueryWithTokens(String query) {
    Last l = last.get();
    if (l != null && l.query().equals(query)) return l.embedding();
    Embedding e = delegate.tokenSignatures() ? delegate.embedQueryWithTokens(query) : Embedding.of(delegate.embedQuery(query));
    last.set(new Last(query, e));
    return e;
  }

  @Override
  public float[] embedQuery(String query) {
    return embedQueryWithTokens(query).vector().clone();
  }
}
