package dev.groundwork.index.lucene;

/** There is no index at the path opened read-only. */
public class NoIndexException extends IllegalStateException {
  public NoIndexException(String message) {
    super(message);
  }
}
