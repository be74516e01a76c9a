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

  private final BeirDataset dataset;
  private final int chunkDepth;
  private final int corpusSample;

  /**
   * @param chunkDepth chunks retrieved per query before collapsing to documents (>= 100)
   * @param corpusSample index only N documents drawn at random (seed {@link #SAMPLE_SEED}) without
   *     looking at the qrels, and judge only queries with a relevant document among them (0 = the whole
   *     corpus); for quick smoke runs, whose figures are not comparable to full runs
   */
  public BeirBenchmark(BeirDataset dataset, int chunkDepth, int corpusSample) {
    if (chunkDepth < 100) throw new IllegalArgumentException("chunk depth must be >= 100 for Recall@100, got " + chunkDepth);
    this.dataset = dataset;
    this.chunkDepth = chunkDepth;
    this.corpusSample = corpusSample;
  }

  public BeirDataset dataset() {
    return dataset;
  }

  /** The indexed corpus (or sample): its document ids, the ingest report and throughput. */
  public record Indexed(Set<String> documents, IngestReport report, double docsPerSecond) {}

  /** Judged queries of one split, with their qrels restricted to the indexed documents. */
  public record Judged(List<String> qids, Map<String, Map<String, Integer>> qrels) {}

  /** Indexes the corpus, or with a corpus sample a seeded random part of it drawn without looking at any qrels. */
  public Indexed index(IngestPipeline pipeline) {
    List<Document> corpus = dataset.corpus();
    if (corpusSample > 0 && corpusSample < corpus.size()) {
      List<Document> shuffled = new ArrayList<>(corpus);
      java.util.Collections.shuffle(shuffled, new java.util.Random(SAMPLE_SEED));
      corpus = shuffled.subList(0, corpusSample);
    }
    IngestReport report = pipeline.ingestDocuments(corpus.iterator(), corpus.size());
    Set<String> ids = new java.util.HashSet<>();
    for (Document d : corpus) ids.add(d.id());
    return new Indexed(ids, report, (report.added() + report.updated()) / Math.max(report.seconds(), 1e-9));
  }

  /** The seed of the corpus sample: fixed, so that smoke runs compare with each other. */
  public static final long SAMPLE_SEED = 20261202L;

  /**
   * The judged queries of {@code split} that have a relevant document among those indexed, each with
   * its judgements restricted to the indexed documents (all of them when the whole corpus is indexed).
   */
  public Judged judged(String split, Indexed ix) {
    Map<String, Map<String, Integer>> qrels = dataset.qrels(split);
    Map<String, String> queries = dataset.queries();
    List<String> qids = new ArrayList<>();
    Map<String, Map<String, Integer>> kept = new LinkedHashMap<>();
    for (var e : qrels.entrySet()) {
      if (!queries.containsKey(e.getKey())) continue;
      Map<String, Integer> rel = new LinkedHashMap<>();
      e.getValue().forEach((doc, grade) -> {
        if (ix.documents().contains(doc)) rel.put(doc, grade);
      });
      if (rel.values().stream().noneMatch(g -> g > 0)) continue;
      qids.add(e.getKey());
      kept.put(e.getKey(), rel);
    }
    return new Judged(qids, kept);
  }

  /** Quality and latency of {@code retriever} in {@code mode} over {@code judged}'s queries (after a warm-up of 10). */
  public ModeResult evaluate(HybridRetriever r, SearchMode mode, Judged judged) {
    return evaluate(r, mode, judged, null);
  }

  /** nDCG@10 of each of {@code judged}'s queries, in order, for paired comparisons. */
  public double[] ndcgPerQuery(HybridRetriever r, SearchMode mode, Judged judged) {
    double[] out = new double[judged.qids().size()];
    evaluate(r, mode, judged, out);
    return out;
  }

  private ModeResult evaluate(HybridRetriever r, SearchMode mode, Judged judged, double[] perQuery) {
    Map<String, String> queries = queries();
    List<String> qids = judged.qids();
    for (String q : qids.subList(0, Math.min(10, qids.size()))) r.search(queries.get(q), chunkDepth, Filter.NONE, mode);
    double ndcg = 0, r10 = 0, r100 = 0, mrr = 0;
    List<Double> lat = new ArrayList<>();
    for (String q : qids) {
      long t0 = System.nanoTime();
      List<ScoredChunk> hits = r.search(queries.get(q), chunkDepth, Filter.NONE, mode).hits();
      lat.add((System.nanoTime() - t0) / 1e6);
      List<String> docs = documents(hits);
      Map<String, Integer> rel = judged.qrels().get(q);
      double n10 = RetrievalMetrics.ndcg(docs, rel, 10);
      if (perQuery != null) perQuery[lat.size() - 1] = n10;
      ndcg += n10;
      r10 += RetrievalMetrics.recall(docs, rel, 10);
      r100 += RetrievalMetrics.recall(docs, rel, 100);
      mrr += RetrievalMetrics.mrr(docs, rel, 10);
    }
    int n = qids.size();
    return new ModeResult(ndcg / n, r10 / n, r100 / n, mrr / n, RetrievalMetrics.percentile(lat, 50), RetrievalMetrics.percentile(lat, 95), n);
  }

  private Map<String, String> queriesCache;

  private synchronized Map<String, String> queries() {
    if (queriesCache == null) queriesCache = dataset.queries();
    return queriesCache;
  }

  /** Chunk hits collapsed to document ids, first (best) occurrence wins. */
  static List<String> documents(List<ScoredChunk> hits) {
    Set<String> docs = new LinkedHashSet<>();
    for (ScoredChunk h : hits) docs.add(h.chunk().docId());
    return new ArrayList<>(docs);
  }
}
