package dev.groundwork.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.Block;
import dev.groundwork.core.Document;
import dev.groundwork.core.chunk.ChunkingOptions;
import dev.groundwork.core.chunk.StructuredChunker;
import dev.groundwork.core.ingest.EmbeddingCache;
import dev.groundwork.core.ingest.IngestPipeline;
import dev.groundwork.core.ingest.IngestReport;
import dev.groundwork.core.retrieve.TokenSignatures;
import dev.groundwork.core.spi.Embedder;
import dev.groundwork.core.spi.Embedding;
import dev.groundwork.core.spi.Loader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest pipeline over a real index: token signatures stored, turned off, and the cache kept consistent with them. */
class IngestTokenSignaturesTest {
  @TempDir Path root;

  static final Loader TEXT = new Loader() {
    @Override
    public Set<String> extensions() {
      return Set.of("txt");
    }

    @Override
    public Document load(Path file, String id, byte[] content) {
      String t = new String(content, StandardCharsets.UTF_8);
      return new Document(id, id, "Notes", "text/plain", t, List.of(new Block(0, t.length(), List.of(), null)));
    }
  };

  /** Deterministic vectors; signatures only when {@code withTokens}. */
  static final class FakeEmbedder implements Embedder {
    final boolean withTokens;
    int embedded;

    FakeEmbedder(boolean withTokens) {
      this.withTokens = withTokens;
    }

    @Override public String name() { return "fake"; }
    @Override public int dimension() { return LuceneIndexTest.DIM; }
    @Override public boolean tokenSignatures() { return withTokens; }
    @Override public float[] embedQuery(String q) { return LuceneIndexTest.unit(q.hashCode()); }
    @Override public int countTokens(String text) { return text.split(" ").length; }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
      return embedDocumentsWithTokens(texts).stream().map(Embedding::vector).toList();
    }

    @Override
    public List<Embedding> embedDocumentsWithTokens(List<String> texts) {
      List<Embedding> out = new ArrayList<>();
      for (String t : texts) {
        embedded++;
        Random r = new Random(t.hashCode());
        float[][] states = new float[4][64];
        for (float[] s : states) for (int d = 0; d < 64; d++) s[d] = (float) r.nextGaussian();
        out.add(new Embedding(LuceneIndexTest.unit(t.hashCode()), withTokens ? TokenSignatures.pack(states, 0, 4) : null));
      }
      return out;
    }
  }

  private IngestReport ingest(LuceneIndex idx, EmbeddingCache cache, Embedder e, boolean signatures) {
    return IngestPipeline.builder().root(root).loader(TEXT).chunker(new StructuredChunker(ChunkingOptions.DEFAULT))
        .embedder(e).cache(cache).index(idx).tokenSignatures(signatures).build().ingestPaths(List.of("docs"));
  }

  private List<String> leafIds(LuceneIndex idx) {
    List<String> ids = new ArrayList<>();
    for (String doc : idx.documents().keySet()) ids.add(doc + "#0");
    return ids;
  }

  @Test
  void signaturesAreStoredTurnedOffWithAReindexAndNeverServedStaleFromTheCache() throws Exception {
    Files.createDirectories(root.resolve("docs"));
    Files.writeString(root.resolve("docs/a.txt"), "Jobs are retried five times.");
    Files.writeString(root.resolve("docs/b.txt"), "The dead-letter queue keeps failed jobs.");
    Path index = root.resolve("index");
    try (EmbeddingCache cache = EmbeddingCache.open(root.resolve("cache"), "fake", LuceneIndexTest.DIM);
        LuceneIndex idx = LuceneIndex.open(index, LuceneIndexTest.opts(true))) {
      // first ingested by a model without signatures: the cache holds vectors only
      FakeEmbedder plain = new FakeEmbedder(false);
      assertThat(ingest(idx, cache, plain, true).added()).isEqualTo(2);
      assertThat(idx.tokenSignatures(leafIds(idx))).isEmpty();

      // a model with signatures on a rebuilt index: the token-less cache entries are embedded again
      for (String d : idx.documents().keySet()) idx.deleteDocument(d);
      idx.commit();
      FakeEmbedder tokens = new FakeEmbedder(true);
      IngestReport r = ingest(idx, cache, tokens, true);
      assertThat(r.embedded()).isEqualTo(2);
      assertThat(tokens.embedded).isEqualTo(2);
      assertThat(idx.tokenSignatures(leafIds(idx))).hasSize(2);

      // unchanged files with the same settings: nothing to do
      assertThat(ingest(idx, cache, tokens, true).unchanged()).isEqualTo(2);

      // turning signatures off re-indexes every file from the cache and drops them from the index
      r = ingest(idx, cache, tokens, false);
      assertThat(r.updated()).isEqualTo(2);
      assertThat(r.cached()).isEqualTo(2);
      assertThat(tokens.embedded).isEqualTo(2);
      assertThat(idx.tokenSignatures(leafIds(idx))).isEmpty();
    }
  }
}
