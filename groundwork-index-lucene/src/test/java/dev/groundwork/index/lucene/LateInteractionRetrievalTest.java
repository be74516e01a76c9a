package dev.groundwork.index.lucene;

import static dev.groundwork.index.lucene.LuceneIndexTest.leaf;
import static dev.groundwork.index.lucene.LuceneIndexTest.opts;
import static dev.groundwork.index.lucene.LuceneIndexTest.unit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.retrieve.HybridRetriever;
import dev.groundwork.core.retrieve.RetrievalOptions;
import dev.groundwork.core.retrieve.SearchMode;
import dev.groundwork.core.retrieve.TokenSignatures;
import dev.groundwork.core.spi.Embedder;
import dev.groundwork.core.spi.Embedding;
import dev.groundwork.core.spi.Filter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hybrid retrieval over a real index with late-interaction rescoring: six leaves tie on BM25; on the
 * pooled vector "a" is nearest the query and "b" second; only "b" shares the query's tokens.
 */
class LateInteractionRetrievalTest {
  @TempDir Path dir;
  private final Random random = new Random(5);
  private float[] query;
  private byte[] queryTokens;
  private List<String> words = List.of();

  private float[][] states(int n) {
    float[][] s = new float[n][384];
    for (float[] t : s) for (int d = 0; d < 384; d++) t[d] = (float) random.nextGaussian();
    return s;
  }

  private static float[] mix(float[] a, double wa, float[] b) {
    float[] v = new float[a.length];
    double norm = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (wa * a[i] + Math.sqrt(1 - wa * wa) * b[i]);
      norm += v[i] * v[i];
    }
    for (int i = 0; i < v.length; i++) v[i] /= (float) Math.sqrt(norm);
    return v;
  }

  private final class QueryEmbedder implements Embedder {
    @Override public String name() { return "test-embedder"; }
    @Override public int dimension() { return LuceneIndexTest.DIM; }
    @Override public List<float[]> embedDocuments(List<String> texts) { throw new UnsupportedOperationException(); }
    @Override public float[] embedQuery(String q) { return query; }
    @Override public Embedding embedQueryWithTokens(String q) { return new Embedding(query, queryTokens, words); }
    @Override public int countTokens(String text) { return 3; }
  }

  @BeforeEach
  void setUp() {
    query = unit(100);
    float[][] q = states(3);
    queryTokens = TokenSignatures.pack(q, 0, 3);
    float[][] bTokens = states(12);
    System.arraycopy(q, 0, bTokens, 4, 3); // b contains the query's three tokens among its own
    List<Embedding> embeddings = new ArrayList<>();
    embeddings.add(new Embedding(query, TokenSignatures.pack(states(12), 0, 12)));
    embeddings.add(new Embedding(mix(query, 0.7, unit(101)), TokenSignatures.pack(bTokens, 0, 12)));
    for (int i = 0; i < 4; i++) embeddings.add(new Embedding(unit(102 + i), TokenSignatures.pack(states(12), 0, 12)));
    index(dir, embeddings);
  }

  private static void index(Path at, List<Embedding> embeddings) {
    try (LuceneIndex idx = LuceneIndex.open(at, opts(false))) {
      String[] names = {"a", "b", "c", "d", "e", "f"};
      for (int i = 0; i < names.length; i++) {
        String doc = names[i] + ".md";
        idx.replaceDocument(doc, "h" + i, List.of(leaf(doc, 0, "Notes", "the retry budget of doc" + names[i], null)), List.of(embeddings.get(i)));
      }
      idx.commit();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private List<String> search(Path at, RetrievalOptions o) throws Exception {
    try (LuceneIndex idx = LuceneIndex.openReadOnly(at, opts(false))) {
      return new HybridRetriever(idx, new QueryEmbedder(), o).search("retry budget", 6, Filter.NONE)
          .hits().stream().map(h -> h.chunk().docId()).toList();
    }
  }

  @Test
  void theLeafSharingTheQuerysTokensIsLiftedAboveTheNearestPooledVector() throws Exception {
    RetrievalOptions o = RetrievalOptions.DEFAULT.withCandidates(10);
    assertThat(search(dir, o.withLateWeight(0))).startsWith("a.md", "b.md");
    List<String> late = search(dir, o);
    assertThat(late).startsWith("b.md", "a.md").hasSize(6);
    // dense mode is the pooled vector alone, without rescoring
    assertThat(search(dir, o.withMode(SearchMode.DENSE))).startsWith("a.md", "b.md");
  }

  @Test
  void settingsChosenPerQueryApplyToThatQueryOnly() throws Exception {
    RetrievalOptions plain = RetrievalOptions.DEFAULT.withCandidates(10).withLateWeight(0), late = RetrievalOptions.DEFAULT.withCandidates(10);
    try (LuceneIndex idx = LuceneIndex.openReadOnly(dir, opts(false))) {
      // as a retrieval adapter's tuned settings do: late interaction for the queries in its scope only
      HybridRetriever r = new HybridRetriever(idx, new QueryEmbedder(), plain, (q, configured) -> q.contains("budget") ? late : configured);
      assertThat(r.search("retry budget", 6, Filter.NONE).hits().stream().map(h -> h.chunk().docId()).toList()).startsWith("b.md", "a.md");
      assertThat(r.search("retry", 6, Filter.NONE).hits().stream().map(h -> h.chunk().docId()).toList()).startsWith("a.md", "b.md");
    }
  }

  @Test
  void anIndexWithoutTokenSignaturesKeepsTheFusedOrder(@TempDir Path plain) throws Exception {
    List<Embedding> vectorsOnly = new ArrayList<>();
    vectorsOnly.add(Embedding.of(query));
    vectorsOnly.add(Embedding.of(mix(query, 0.7, unit(101))));
    for (int i = 0; i < 4; i++) vectorsOnly.add(Embedding.of(unit(102 + i)));
    index(plain, vectorsOnly);
    RetrievalOptions o = RetrievalOptions.DEFAULT.withCandidates(10);
    assertThat(search(plain, o)).isEqualTo(search(plain, o.withLateWeight(0)));
    assertThat(search(plain, o)).startsWith("a.md", "b.md");
  }

  @Test
  void idfWeightingLetsARareWordsMatchOutweighTwoCommonOnes(@TempDir Path at) throws Exception {
    // query tokens: "the" (a stop word), "retry" (in every chunk) and "zebra" (in none)
    float[][] q = states(3);
    queryTokens = TokenSignatures.pack(q, 0, 3);
    words = List.of("the", "retry", "zebra");
    float[][] rare = states(12);
    System.arraycopy(q, 2, rare, 5, 1); // matches only "zebra"
    float[][] common = states(12);
    System.arraycopy(q, 0, common, 3, 2); // matches "the" and "retry"
    float[] same = unit(300); // both get the same vector, so the first stage cannot separate them
    List<Embedding> embeddings = new ArrayList<>();
    embeddings.add(new Embedding(same, TokenSignatures.pack(rare, 0, 12)));
    embeddings.add(new Embedding(same, TokenSignatures.pack(common, 0, 12)));
    for (int i = 0; i < 4; i++) embeddings.add(new Embedding(unit(310 + i), TokenSignatures.pack(states(12), 0, 12)));
    index(at, embeddings);
    RetrievalOptions o = RetrievalOptions.DEFAULT.withCandidates(10);
    List<String> flat = search(at, o.withLateIdf(false));
    assertThat(flat.indexOf("b.md")).isLessThan(flat.indexOf("a.md"));
    List<String> idf = search(at, o);
    assertThat(idf.indexOf("a.md")).isLessThan(idf.indexOf("b.md"));
  }
}
