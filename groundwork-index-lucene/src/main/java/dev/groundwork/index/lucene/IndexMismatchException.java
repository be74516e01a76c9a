package dev.groundwork.index.lucene;

/** The index on disk was built with settings that differ from the ones asked for (embedder, dimension, format). */
public class IndexMismatchException extends RuntimeException {
  public IndexMismatchException(String message) {
    super(message);
  }
}
