package dev.groundwork.bench;

import dev.groundwork.core.Document;
import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.ingest.IngestPipeline;
import dev.groundwork.core.ingest.IngestReport;
import dev.groundwork.core.metrics.RetrievalMetrics;
import dev.groundwork.core.retrieve.HybridRetriever;
import dev.groundwork.core.retrieve.SearchMode;
import dev.groundwork.core.spi.Filter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Retrieval quality and speed on a BEIR dataset through Groundwork's own ingest and search path.
 *
 * <p>The corpus is ingested as documents (title + text) with the project's chunker, embedder and
 * index. Each query retrieves {@code chunkDepth} chunks; chunks are collapsed to their documents in
 * rank order (a document's score is its best chunk's), and nDCG@10, Recall@10, Recall@100 and
 * MRR@10 are computed against the qrels with {@link RetrievalMetrics}. Latency is measured per query
 * end to end (query embedding included) after a warm-up of 10 queries.
 */
public final class BeirBenchmark {
  /** Quality and latency of one mode. */
  public record ModeResult(double ndcg10, double recall10, double recall100, double mrr10, double p50Ms, double p95Ms, int queries) {}

  /** Everything one run measured. */
  public record Result(String dataset, String split, int documents, int queries, IngestReport ingest,
      double indexDocsPerSecond, Map<String, ModeResult> modes) {}

  public interface RetrieverFactory {
    HybridRetriever forMode(SearchMode mode);
  }

  private final BeirDataset dataset;
  private final String split;
  private final int chunkDepth;
  private final int queryLimit;
  private final int corpusSample;

  /**
   * @param chunkDepth chunks retrieved per query before collapsing to documents (>= 100)
   * @param queryLimit use only the first N judged queries (0 = all)
   * @param corpusSample index only the documents judged for the used queries plus the first N others
   *     (0 = the whole corpus); for quick smoke runs, whose figures are not comparable to full runs
   */
  public BeirBenchmark(BeirDataset dataset, String split, int chunkDepth, int queryLimit, int corpusSample) {
    if (chunkDepth < 100) throw new IllegalArgumentException("chunk depth must be >= 100 for Recall@100, got " + chunkDepth);
    this.dataset = dataset;
    this.split = split;
    this.chunkDepth = chunkDepth;
    this.queryLimit = queryLimit;
    this.corpusSample = corpusSample;
  }

  public Result run(IngestPipeline pipeline, RetrieverFactory retrievers, List<SearchMode> modes) {
    Map<String, Map<String, Integer>> qrels = dataset.qrels(split);
    Map<String, String> queries = dataset.queries();
    List<String> qids = new ArrayList<>();
    for (String q : qrels.keySet()) if (queries.containsKey(q)) qids.add(q);
    if (queryLimit > 0 && qids.size() > queryLimit) qids = qids.subList(0, queryLimit);
    if (qids.isEmpty()) throw new IllegalArgumentException("no judged queries for split '" + split + "'");

    List<Document> corpus = dataset.corpus();
    if (corpusSample > 0) corpus = sample(corpus, qids, qrels);
    IngestReport report = pipeline.ingestDocuments(corpus.iterator(), corpus.size());
    double docsPerS = (report.added() + report.updated()) / Math.max(report.seconds(), 1e-9);

    Map<String, ModeResult> out = new LinkedHashMap<>();
    for (SearchMode mode : modes) {
      HybridRetriever r = retrievers.forMode(mode);
      for (String q : qids.subList(0, Math.min(10, qids.size()))) r.search(queries.get(q), chunkDepth, Filter.NONE, mode);
      double ndcg = 0, r10 = 0, r100 = 0, mrr = 0;
      List<Double> lat = new ArrayList<>();
      for (String q : qids) {
        long t0 = System.nanoTime();
        List<ScoredChunk> hits = r.search(queries.get(q), chunkDepth, Filter.NONE, mode).hits();
        lat.add((System.nanoTime() - t0) / 1e6);
        List<String> docs = documents(hits);
        Map<String, Integer> rel = qrels.get(q);
        ndcg += RetrievalMetrics.ndcg(docs, rel, 10);
        r10 += RetrievalMetrics.recall(docs, rel, 10);
        r100 += RetrievalMetrics.recall(docs, rel, 100);
        mrr += RetrievalMetrics.mrr(docs, rel, 10);
      }
      int n = qids.size();
      out.put(mode.label(), new ModeResult(ndcg / n, r10 / n, r100 / n, mrr / n,
          RetrievalMetrics.percentile(lat, 50), RetrievalMetrics.percentile(lat, 95), n));
    }
    return new Result(dataset.name(), split, corpus.size(), qids.size(), report, docsPerS, out);
  }

  private List<Document> sample(List<Document> corpus, List<String> qids, Map<String, Map<String, Integer>> qrels) {
    Set<String> judged = new java.util.HashSet<>();
    for (String q : qids) judged.addAll(qrels.get(q).keySet());
    List<Document> out = new ArrayList<>();
    int others = 0;
    for (Document d : corpus) {
      if (judged.contains(d.id())) out.add(d);
      else if (others < corpusSample) {
        out.add(d);
        others++;
      }
    }
    return out;
  }

  /** Chunk hits collapsed to document ids, first (best) occurrence wins. */
  static List<String> documents(List<ScoredChunk> hits) {
    Set<String> docs = new LinkedHashSet<>();
    for (ScoredChunk h : hits) docs.add(h.chunk().docId());
    return new ArrayList<>(docs);
  }
}
