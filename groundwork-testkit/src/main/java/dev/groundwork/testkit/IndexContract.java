package dev.groundwork.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.groundwork.core.Chunk;
import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.spi.Embedding;
import dev.groundwork.core.spi.Filter;
import dev.groundwork.core.spi.Index;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link Index} must show: documents replaced and deleted whole, text and
 * vector search ranked best first with ties broken by id, filters, persistence across a reopen
 * after {@link Index#commit()}, and term statistics. An implementation's test extends this and says
 * how to open its index in a folder with 4-dimensional vectors.
 */
public abstract class IndexContract {
  protected static final int DIM = 4;

  @TempDir protected Path dir;

  /** Opens (or creates) the index stored in {@code dir}, writable, for {@link #DIM}-dimensional vectors. */
  protected abstract Index open(Path dir);

  protected static Chunk chunk(String doc, int n, String text) {
    return new Chunk(doc + "#" + n, doc, doc, doc, "text/markdown", List.of(), null, 0, text.length(), text, null, 0);
  }

  protected static Embedding vec(float... v) {
    return Embedding.of(v);
  }

  private void seed(Index idx) {
    idx.replaceDocument("docs/a.md", "ha", List.of(chunk("docs/a.md", 0, "the visibility timeout is thirty seconds"),
        chunk("docs/a.md", 1, "retries back off exponentially")), List.of(vec(1, 0, 0, 0), vec(0, 1, 0, 0)));
    idx.replaceDocument("notes/b.md", "hb", List.of(chunk("notes/b.md", 0, "dead jobs are kept for thirty days")), List.of(vec(0, 0, 1, 0)));
    idx.commit();
  }

  @Test
  void textSearchFindsTheChunkThatHoldsTheWords() throws Exception {
    try (Index idx = open(dir)) {
      seed(idx);
      List<ScoredChunk> hits = idx.searchText("visibility timeout", 10, Filter.NONE);
      assertThat(hits).isNotEmpty();
      assertThat(hits.get(0).id()).isEqualTo("docs/a.md#0");
      assertThat(hits).extracting(ScoredChunk::score).isSortedAccordingTo((a, b) -> Double.compare(b, a));
      assertThat(idx.searchText("zanzibar", 10, Filter.NONE)).isEmpty();
    }
  }

  @Test
  void leafVectorsComeBackAsIndexedAndLeaveDeletedDocumentsOut() throws Exception {
    try (Index idx = open(dir)) {
      seed(idx);
      idx.replaceDocument("notes/c.md", "hc", List.of(chunk("notes/c.md", 0, "gone soon")), List.of(vec(0, 0, 0, 1)));
      idx.deleteDocument("notes/c.md");
      idx.commit();
      java.util.Map<String, Index.LeafVector> byChunk = new java.util.TreeMap<>();
      for (Index.LeafVector v : idx.leafVectors()) byChunk.put(v.chunkId(), v);
      assertThat(byChunk).containsOnlyKeys("docs/a.md#0", "docs/a.md#1", "notes/b.md#0");
      assertThat(byChunk.get("docs/a.md#1").docId()).isEqualTo("docs/a.md");
      assertThat(byChunk.get("docs/a.md#1").vector()).containsExactly(0, 1, 0, 0);
      assertThat(byChunk.get("notes/b.md#0").vector()).containsExactly(0, 0, 1, 0);
    }
  }

  @Test
  void vectorSearchRanksByCosineBestFirst() throws Exception {
    try (Index idx = open(dir)) {
      seed(idx);
      List<ScoredChunk> hits = idx.searchVector(new float[] {0.1f, 0.9f, 0, 0}, 3, Filter.NONE);
      assertThat(hits).extracting(ScoredChunk::id).startsWith("docs/a.md#1");
      assertThat(hits).hasSizeLessThanOrEqualTo(3);
      assertThat(hits).extracting(ScoredChunk::score).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }
  }

  @Test
  void kLimitsTheResults() throws Exception {
    try (Index idx = open(dir)) {
      seed(idx);
      assertThat(idx.searchText("thirty", 1, Filter.NONE)).hasSize(1);
      assertThat(idx.searchText("thirty", 10, Filter.NONE)).hasSize(2);
    }
  }

  @Test
  void aFilterOnTheSourcePrefixKeepsOnlyMatchingChunks() throws Exception {
    try (Index idx = open(dir)) {
      seed(idx);
      Filter notes = Filter.parse(List.of("source=notes/*"));
      assertThat(idx.searchText("thirty", 10, notes)).extracting(ScoredChunk::id).containsExactly("notes/b.md#0");
      assertThat(idx.searchVector(new float[] {1, 0, 0, 0}, 10, notes)).extracting(ScoredChunk::id).containsExactly("notes/b.md#0");
    }
  }

  @Test
  void replacingADocumentDropsItsOldChunksAndDeletingRemovesIt() throws Exception {
    try (Index idx = open(dir)) {
      seed(idx);
      idx.replaceDocument("docs/a.md", "ha2", List.of(chunk("docs/a.md", 0, "queues can be paused")), List.of(vec(1, 0, 0, 0)));
      idx.commit();
      assertThat(idx.documents()).containsEntry("docs/a.md", "ha2");
      assertThat(idx.chunk("docs/a.md#1")).isEmpty();
      assertThat(idx.searchText("retries", 10, Filter.NONE)).isEmpty();
      assertThat(idx.searchText("paused", 10, Filter.NONE)).extracting(ScoredChunk::id).containsExactly("docs/a.md#0");
      idx.deleteDocument("notes/b.md");
      idx.commit();
      assertThat(idx.documents()).containsOnlyKeys("docs/a.md");
      assertThat(idx.leafCount()).isEqualTo(1);
      assertThat(idx.searchText("dead jobs", 10, Filter.NONE)).isEmpty();
    }
  }

  @Test
  void committedDocumentsSurviveAReopen() throws Exception {
    try (Index idx = open(dir)) {
      seed(idx);
    }
    try (Index idx = open(dir)) {
      assertThat(idx.documents()).containsOnlyKeys("docs/a.md", "notes/b.md");
      assertThat(idx.chunk("notes/b.md#0")).get().extracting(Chunk::text).isEqualTo("dead jobs are kept for thirty days");
      assertThat(idx.leafCount()).isEqualTo(3);
    }
  }

  @Test
  void documentFrequencyIsTheShareOfLeavesHoldingATerm() throws Exception {
    try (Index idx = open(dir)) {
      seed(idx);
      assertThat(idx.documentFrequency("thirty")).isCloseTo(2 / 3.0, within(1e-9));
      assertThat(idx.documentFrequency("retries")).isCloseTo(1 / 3.0, within(1e-9));
      assertThat(idx.documentFrequency("zanzibar")).isCloseTo(0, within(1e-9));
    }
  }
}
