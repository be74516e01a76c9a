package dev.groundwork.core.spi;

import dev.groundwork.core.Chunk;
import dev.groundwork.core.ScoredChunk;
import java.io.Closeable;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A hybrid index of chunks: BM25 over text and nearest-neighbour search over leaf vectors.
 *
 * <p>Writes become durable only at {@link #commit()}; a process killed between commits leaves the
 * index as of the last commit. {@link #replaceDocument} is atomic per document: a reader never sees
 * half of a document's chunks. Searches see uncommitted writes of this instance.
 * Results are ordered by {@link ScoredChunk#RANKING} (score, then id). Only leaves are returned.
 */
public interface Index extends Closeable {
  /** The indexed documents: id to the content hash recorded with them. */
  Map<String, String> documents();

  /**
   * Replaces every chunk of {@code docId}. {@code embeddings} holds one per leaf, in leaf order; their
   * token signatures, where present, are kept for late-interaction rescoring.
   */
  void replaceDocument(String docId, String contentHash, List<Chunk> chunks, List<Embedding> embeddings);

  void deleteDocument(String docId);

  void commit();

  List<ScoredChunk> searchText(String query, int k, Filter filter);

  List<ScoredChunk> searchVector(float[] vector, int k, Filter filter);

  /** Any chunk (leaf or parent) by id. */
  Optional<Chunk> chunk(String chunkId);

  /**
   * The token signatures stored with the given leaves, by chunk id; chunks without one (or unknown
   * ids) are left out. The default stores none.
   */
  default Map<String, byte[]> tokenSignatures(Collection<String> chunkIds) {
    return Map.of();
  }

  /** One leaf's stored vector, with the chunk and document it belongs to. */
  record LeafVector(String chunkId, String docId, float[] vector) {}

  /**
   * Every leaf's vector as it was indexed, for training on the index's own embeddings (query adapters)
   * without embedding the corpus again.
   *
   * @throws UnsupportedOperationException where the index cannot list its vectors (the default)
   */
  default List<LeafVector> leafVectors() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot list its stored vectors");
  }

  /** Number of leaf chunks. */
  int leafCount();

  /** Fraction of leaves containing the term, after the index's own analysis (stemming); 0 for unknown terms. */
  double documentFrequency(String term);
}
