package dev.groundwork.core.spi;

import dev.groundwork.core.Chunk;
import dev.groundwork.core.Document;
import java.util.List;

/** Splits a document into chunks. Deterministic: the same document gives the same chunks and ids. */
public interface Chunker {
  /** Leaves and parents, leaves first in reading order, then parents. Empty for a document with no text. */
  List<Chunk> chunk(Document document);

  /** A string that changes whenever the chunking configuration changes (part of every document's hash). */
  String fingerprint();
}
