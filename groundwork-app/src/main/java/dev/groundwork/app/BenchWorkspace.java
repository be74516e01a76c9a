package dev.groundwork.app;


import dev.groundwork.core.chunk.ChunkingOptions;
import dev.groundwork.core.chunk.StructuredChunker;
import dev.groundwork.core.ingest.EmbeddingCache;
import dev.groundwork.core.ingest.IngestListener;
import dev.groundwork.core.ingest.IngestPipeline;
import dev.groundwork.embeddings.EmbeddingModel;
import dev.groundwork.embeddings.OnnxEmbedder;
import dev.groundwork.index.lucene.LuceneIndex;
import dev.groundwork.index.lucene.LuceneIndexOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What a benchmark runs on: the project's embedder, a fresh index in {@code .groundwork/bench/NAME}
 * and the project's embedding cache (or a private one with {@code noCache}, which measures cold
 * embedding).
 */
public final class BenchWorkspace implements AutoCloseable {
  private final OnnxEmbedder embedder;
  private final LuceneIndex index;
  private final EmbeddingCache cache;
  private final ProjectConfig cfg;
  private final ChunkingOptions chunking;
  private final Path root;

  private BenchWorkspace(Path root, ProjectConfig cfg, ChunkingOptions chunking, OnnxEmbedder embedder, LuceneIndex index, EmbeddingCache cache) {
    this.root = root;
    this.cfg = cfg;
    this.chunking = chunking;
    this.embedder = embedder;
    this.index = index;
    this.cache = cache;
  }

  public static BenchWorkspace open(Path projectRoot, String name, ProjectConfig cfg, ChunkingOptions chunking, boolean noCache) throws IOException {
    Path work = projectRoot.resolve(Project.DATA_DIR).resolve("bench").resolve(name);
    Project.deleteTree(work);
    EmbeddingModel model = EmbeddingModel.named(cfg.embedder());
    OnnxEmbedder embedder = OnnxEmbedder.load(model.name(), cfg.effectiveThreads());
    LuceneIndex index = LuceneIndex.open(work.resolve("index"), new LuceneIndexOptions(model.name(), model.dimension(),
        cfg.quantized(), cfg.bm25K1(), cfg.bm25B(), cfg.titleBoost()));
    Path cacheDir = noCache ? work.resolve("cache") : projectRoot.resolve(Project.DATA_DIR).resolve("cache");
    return new BenchWorkspace(projectRoot, cfg, chunking, embedder, index, EmbeddingCache.open(cacheDir, model.name(), model.dimension()));
  }

  /** A retriever over this workspace's index with {@code options}. */
  public dev.groundwork.core.retrieve.HybridRetriever retriever(dev.groundwork.core.retrieve.RetrievalOptions options) {
    return new dev.groundwork.core.retrieve.HybridRetriever(index, embedder, options);
  }

  /** A retriever over this workspace's index with {@code options}, embedding queries with {@code queries} (e.g. through an adapter). */
  public dev.groundwork.core.retrieve.HybridRetriever retriever(dev.groundwork.core.retrieve.RetrievalOptions options, dev.groundwork.core.spi.Embedder queries) {
    return new dev.groundwork.core.retrieve.HybridRetriever(index, queries, options);
  }

  /** The same, with each query's settings decided by {@code perQuery} (a retrieval adapter's scope, e.g.). */
  public dev.groundwork.core.retrieve.HybridRetriever retriever(dev.groundwork.core.retrieve.RetrievalOptions options, dev.groundwork.core.spi.Embedder queries,
      dev.groundwork.core.retrieve.HybridRetriever.QueryOptions perQuery) {
    return new dev.groundwork.core.retrieve.HybridRetriever(index, queries, options, perQuery);
  }

  /** The extractive answerer the configuration describes, over this workspace's index. */
  public dev.groundwork.core.spi.Answerer extractiveAnswerer() {
    return Project.answerer(cfg, root, index, embedder);
  }

  /** The answerability check over this workspace's term statistics (for fitting its model). */
  public dev.groundwork.core.answer.Answerability answerability() {
    return Project.answerability(cfg, root, index);
  }

  /** The extractive answerer refusing below {@code minAnswerability} (0: it records the score and never refuses for it). */
  public dev.groundwork.core.answer.ExtractiveAnswerer extractiveAnswerer(double minAnswerability) {
    return Project.answerer(cfg, root, index, embedder, minAnswerability);
  }

  /** The embedder's name, as answers record it. */
  public String embedderName() {
    return embedder.name();
  }

  /** The project's embedder, as the core sees it. */
  public dev.groundwork.core.spi.Embedder embedder() {
    return embedder;
  }

  /**
   * The embeddings of {@code texts} (as documents), from the project's content-hash cache where it has
   * them and the embedder otherwise (then cached): a second run embeds nothing.
   */
  public List<float[]> embedCached(List<String> texts) {
    List<float[]> out = new java.util.ArrayList<>(java.util.Collections.nCopies(texts.size(), (float[]) null));
    List<Integer> missing = new java.util.ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      dev.groundwork.core.spi.Embedding e = cache.get(texts.get(i), false, false);
      if (e != null) out.set(i, e.vector());
      else missing.add(i);
    }
    if (!missing.isEmpty()) {
      List<float[]> fresh = embedder.embedDocuments(missing.stream().map(texts::get).toList());
      for (int k = 0; k < missing.size(); k++) {
        out.set(missing.get(k), fresh.get(k));
        cache.put(texts.get(missing.get(k)), dev.groundwork.core.spi.Embedding.of(fresh.get(k)));
      }
      cache.flush();
    }
    return out;
  }

  /** The fresh index, as the core sees it. */
  public dev.groundwork.core.spi.Index index() {
    return index;
  }

  public IngestPipeline pipeline(IngestListener listener) {
    return IngestPipeline.builder().root(root).chunker(new StructuredChunker(chunking))
        .embedder(embedder).cache(cache).index(index).commitEvery(1_000_000)
        .embedBatch(16 * cfg.effectiveThreads()).tokenSignatures(cfg.tokenSignatures()).listener(listener).build();
  }

  @Override
  public void close() throws IOException {
    cache.close();
    index.close();
    embedder.close();
  }
}
