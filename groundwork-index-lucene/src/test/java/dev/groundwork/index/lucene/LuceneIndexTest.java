package dev.groundwork.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.Chunk;
import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.spi.Embedding;
import dev.groundwork.core.spi.Filter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LuceneIndexTest {
  static final int DIM = 8;
  @TempDir Path dir;

  static LuceneIndexOptions opts(boolean quantized) {
    return new LuceneIndexOptions("test-embedder", DIM, quantized, 0.9f, 0.4f, 0.5f);
  }

  static float[] unit(int seed) {
    Random r = new Random(seed);
    float[] v = new float[DIM];
    double s = 0;
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) r.nextGaussian();
      s += v[i] * v[i];
    }
    for (int i = 0; i < DIM; i++) v[i] /= (float) Math.sqrt(s);
    return v;
  }

  static List<Embedding> embs(float[]... vectors) {
    return java.util.Arrays.stream(vectors).map(Embedding::of).toList();
  }

  static Chunk leaf(String doc, int n, String title, String text, String parent) {
    return new Chunk(doc + "#" + n, doc, doc, title, doc.endsWith(".pdf") ? "application/pdf" : "text/markdown",
        List.of(title, "Section"), doc.endsWith(".pdf") ? 2 : null, 0, text.length(), text, parent, 0);
  }

  void addCorpus(LuceneIndex idx) {
    idx.replaceDocument("docs/retries.md", "h1", List.of(
        leaf("docs/retries.md", 0, "Retries", "A job gets five attempts before the dead-letter queue.", "docs/retries.md#p0"),
        leaf("docs/retries.md", 1, "Retries", "Backoff doubles after every attempt.", "docs/retries.md#p0"),
        new Chunk("docs/retries.md#p0", "docs/retries.md", "docs/retries.md", "Retries", "text/markdown", List.of("Retries"), null, 0, 90,
            "A job gets five attempts. Backoff doubles.", null, 2)), embs(unit(1), unit(2)));
    idx.replaceDocument("docs/pricing.pdf", "h2", List.of(leaf("docs/pricing.pdf", 0, "Pricing", "The Business plan costs 499 dollars a month.", null)), embs(unit(3)));
  }

  @ParameterizedTest(name = "quantized={0}")
  @ValueSource(booleans = {false, true})
  void writesSearchesAndPersistsAcrossReopen(boolean quantized) throws Exception {
    try (LuceneIndex idx = LuceneIndex.open(dir, opts(quantized))) {
      addCorpus(idx);
      idx.commit();
    }
    try (LuceneIndex idx = LuceneIndex.openReadOnly(dir, opts(quantized))) {
      assertThat(idx.documents()).isEqualTo(Map.of("docs/retries.md", "h1", "docs/pricing.pdf", "h2"));
      assertThat(idx.leafCount()).isEqualTo(3);
      List<ScoredChunk> bm25 = idx.searchText("how many attempts does a job get?", 10, Filter.NONE);
      assertThat(bm25).first().extracting(ScoredChunk::id).isEqualTo("docs/retries.md#0");
      assertThat(bm25).noneMatch(h -> h.chunk().isParent()).isSortedAccordingTo(ScoredChunk.RANKING);
      List<ScoredChunk> knn = idx.searchVector(unit(3), 2, Filter.NONE);
      assertThat(knn.get(0).id()).isEqualTo("docs/pricing.pdf#0");
      assertThat(knn.get(0).score()).isBetween(0.97, 1.001); // cosine of a vector with itself
      Chunk parent = idx.chunk("docs/retries.md#p0").orElseThrow();
      assertThat(parent.childCount()).isEqualTo(2);
      assertThat(idx.chunk("docs/pricing.pdf#0").orElseThrow().page()).isEqualTo(2);
      assertThat(idx.documentFrequency("attempts")).isGreaterThan(0).isLessThan(1);
      assertThat(idx.documentFrequency("zebra")).isZero();
      assertThatThrownBy(() -> idx.deleteDocument("x")).hasMessageContaining("read-only");
    }
  }

  @Test
  void aQueryPastTheClauseLimitKeepsItsRarestTermsThatOccur() throws Exception {
    try (LuceneIndex idx = LuceneIndex.open(dir, opts(false))) {
      addCorpus(idx);
      StringBuilder filler = new StringBuilder();
      for (int i = 0; i < 600; i++) filler.append("filler").append(Integer.toString(i, 26).replaceAll("[0-9]", "q")).append("x ");
      for (int d = 0; d < 3; d++) {
        idx.replaceDocument("docs/filler" + d + ".md", "f" + d, List.of(leaf("docs/filler" + d + ".md", 0, "Filler", filler.toString(), null)),
            embs(unit(10 + d)));
      }
      StringBuilder unknown = new StringBuilder();
      for (int i = 0; i < 500; i++) unknown.append("nowhere").append(Integer.toString(i, 26).replaceAll("[0-9]", "z")).append("y ");
      // about 1,100 distinct terms, twice over (body and title): far past Lucene's 1,024 clauses
      String longQuery = filler + " " + unknown + " dollars";
      List<ScoredChunk> hits = idx.searchText(longQuery, 10, Filter.NONE);
      // the words that occur nowhere are dropped first; "dollars" (one chunk) is rarer than any filler word (three)
      assertThat(hits).extracting(ScoredChunk::id).contains("docs/pricing.pdf#0", "docs/filler0.md#0", "docs/filler2.md#0");
    }
  }

  @Test
  void filtersRestrictBothRankings() throws Exception {
    try (LuceneIndex idx = LuceneIndex.open(dir, opts(true))) {
      addCorpus(idx);
      Filter pdf = Filter.parse(List.of("media_type=application/pdf"));
      assertThat(idx.searchText("job plan attempts", 10, pdf)).extracting(ScoredChunk::id).containsExactly("docs/pricing.pdf#0");
      assertThat(idx.searchVector(unit(1), 10, pdf)).extracting(ScoredChunk::id).containsExactly("docs/pricing.pdf#0");
      assertThat(idx.searchText("attempts backoff plan", 10, Filter.parse(List.of("source=docs/ret*")))).allMatch(h -> h.chunk().source().equals("docs/retries.md"));
      assertThat(idx.searchText("plan", 10, Filter.parse(List.of("page=2")))).hasSize(1);
    }
  }

  @Test
  void replacingADocumentSwapsAllItsChunksAndDeleteRemovesThem() throws Exception {
    try (LuceneIndex idx = LuceneIndex.open(dir, opts(false))) {
      addCorpus(idx);
      idx.replaceDocument("docs/retries.md", "h3", List.of(leaf("docs/retries.md", 0, "Retries", "Now ten attempts.", null)), embs(unit(4)));
      assertThat(idx.documents()).containsEntry("docs/retries.md", "h3");
      assertThat(idx.leafCount()).isEqualTo(2);
      assertThat(idx.chunk("docs/retries.md#p0")).isEmpty();
      idx.deleteDocument("docs/pricing.pdf");
      assertThat(idx.documents()).containsOnlyKeys("docs/retries.md");
      assertThat(idx.searchText("business plan", 10, Filter.NONE)).isEmpty();
    }
  }

  @Test
  void closingWithoutCommitKeepsTheLastCommitLikeACrash() throws Exception {
    try (LuceneIndex idx = LuceneIndex.open(dir, opts(true))) {
      addCorpus(idx);
      idx.commit();
      idx.deleteDocument("docs/pricing.pdf");
      idx.replaceDocument("docs/new.md", "h9", List.of(leaf("docs/new.md", 0, "New", "Uncommitted text.", null)), embs(unit(5)));
    }
    try (LuceneIndex idx = LuceneIndex.open(dir, opts(true))) {
      assertThat(idx.documents()).containsOnlyKeys("docs/retries.md", "docs/pricing.pdf");
    }
  }

  @Test
  void openingWithAnotherEmbedderIsAClearError() throws Exception {
    try (LuceneIndex idx = LuceneIndex.open(dir, opts(true))) {
      addCorpus(idx);
      idx.commit();
    }
    assertThatThrownBy(() -> LuceneIndex.open(dir, new LuceneIndexOptions("other-model", DIM, true, 0.9f, 0.4f, 0.5f)))
        .isInstanceOf(IndexMismatchException.class).hasMessageContaining("test-embedder").hasMessageContaining("--rebuild");
    assertThatThrownBy(() -> LuceneIndex.openReadOnly(dir.resolve("none"), opts(true))).hasMessageContaining("groundwork ingest");
  }

  @Test
  void aSecondWriterIsRefusedWithAClearMessage() throws Exception {
    try (LuceneIndex idx = LuceneIndex.open(dir, opts(true))) {
      assertThatThrownBy(() -> LuceneIndex.open(dir, opts(true))).hasMessageContaining("another groundwork process");
    }
  }

  @Test
  void badVectorsAreRejected() throws Exception {
    try (LuceneIndex idx = LuceneIndex.open(dir, opts(true))) {
      assertThatThrownBy(() -> idx.replaceDocument("d", "h", List.of(leaf("d", 0, "T", "text", null)), embs(new float[3])))
          .hasMessageContaining("3 dims");
      assertThatThrownBy(() -> idx.replaceDocument("d", "h", List.of(leaf("d", 0, "T", "text", null)), List.of()))
          .hasMessageContaining("fewer vectors");
    }
  }

  @Test
  void tokenSignaturesAreStoredPerLeafReplacedWithTheirDocumentAndDeletedWithIt() throws Exception {
    byte[] s1 = {1, 1, 2, 3, 4, 5, 6, 7, 8};
    byte[] s2 = {1, 9, 9, 9, 9, 9, 9, 9, 9};
    try (LuceneIndex idx = LuceneIndex.open(dir, opts(true))) {
      idx.replaceDocument("a.md", "h1", List.of(leaf("a.md", 0, "A", "first", null), leaf("a.md", 1, "A", "second", null)),
          List.of(new Embedding(unit(1), s1), Embedding.of(unit(2))));
      idx.replaceDocument("b.md", "h2", List.of(leaf("b.md", 0, "B", "third", null)), List.of(new Embedding(unit(3), s2)));
      idx.commit();
      Map<String, byte[]> got = idx.tokenSignatures(List.of("a.md#0", "a.md#1", "b.md#0", "nope#0"));
      assertThat(got.keySet()).containsExactlyInAnyOrder("a.md#0", "b.md#0");
      assertThat(got.get("a.md#0")).containsExactly(s1);
      assertThat(got.get("b.md#0")).containsExactly(s2);
      // a new version of a.md replaces its signatures; the old leaf docs are deleted, not returned
      idx.replaceDocument("a.md", "h3", List.of(leaf("a.md", 0, "A", "first again", null)), List.of(new Embedding(unit(4), s2)));
      idx.deleteDocument("b.md");
      idx.commit();
      got = idx.tokenSignatures(List.of("a.md#0", "a.md#1", "b.md#0"));
      assertThat(got.keySet()).containsExactly("a.md#0");
      assertThat(got.get("a.md#0")).containsExactly(s2);
    }
    try (LuceneIndex idx = LuceneIndex.openReadOnly(dir, opts(true))) {
      assertThat(idx.tokenSignatures(List.of("a.md#0")).get("a.md#0")).containsExactly(s2);
      assertThat(idx.tokenSignatures(List.of())).isEmpty();
    }
  }
}
