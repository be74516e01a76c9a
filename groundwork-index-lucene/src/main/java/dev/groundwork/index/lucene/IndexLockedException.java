package dev.groundwork.index.lucene;

/** Another process holds the index's write lock (an ingest, or a running server). */
public class IndexLockedException extends IllegalStateException {
  public IndexLockedException(String message, Throwable cause) {
    super(message, cause);
  }
}
