package dev.groundwork.app;

/** Adding and removing documents over HTTP. Implementations are thread-safe. */
public interface Documents {
  /**
   * What an upload did.
   *
   * @param documentId the document's id in the index (its path in the project)
   * @param skipped why the document was not indexed, or null when it was
   */
  record Ingested(String documentId, int chunks, boolean replaced, String skipped) {}

  /**
   * Indexes one document.
   *
   * @param fileName the uploaded name (only its last path segment is used)
   * @param kind the type found from the content: {@code pdf}, {@code html}, {@code md} or {@code txt}
   */
  Ingested ingest(String fileName, String kind, byte[] content);

  /** @return false when the index holds no such document */
  boolean delete(String documentId);
}
