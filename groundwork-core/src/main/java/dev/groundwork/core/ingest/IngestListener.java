package dev.groundwork.core.ingest;

/** Progress callbacks of {@link IngestPipeline}; called from the ingesting thread. All methods optional. */
public interface IngestListener {
  IngestListener NONE = new IngestListener() {};

  default void started(int totalItems) {}

  /** {@code done} items of the total have been processed (ingested, unchanged or skipped). */
  default void progressed(int done, String current) {}

  default void skipped(String source, String reason) {}

  /** The index was committed holding every document processed so far. */
  default void committed(int documentsSoFar) {}
}
