package dev.groundwork.core.log;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Base of a query log decorator that changes how entries are written: reads, purges and closing pass through. */
public abstract class DelegatingQueryLog implements QueryLog {
  protected final QueryLog delegate;

  protected DelegatingQueryLog(QueryLog delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public void feedback(Feedback f) {
    delegate.feedback(f);
  }

  @Override
  public List<Logged> list(Query q) {
    return delegate.list(q);
  }

  @Override
  public Optional<Logged> get(String id) {
    return delegate.get(id);
  }

  @Override
  public int purge(Purge p) {
    return delegate.purge(p);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
