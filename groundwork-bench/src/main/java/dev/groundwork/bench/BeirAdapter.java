package dev.groundwork.bench;

import dev.groundwork.app.Json;
import dev.groundwork.core.spi.Embedder;
import dev.groundwork.core.spi.Index;
import dev.groundwork.tuning.AdapterScope;
import dev.groundwork.tuning.AdapterTrainer;
import dev.groundwork.tuning.QueryAdapter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A query adapter trained on a BEIR dataset's train queries over a benchmark index: the corpus is the
 * index's own stored vectors (nothing is embedded again), the queries are embedded once each. Dev
 * queries steer early stopping; the test split plays no part.
 */
public final class BeirAdapter {
  private BeirAdapter() {}

  /** The index's leaf vectors as a training corpus, with each document id's position. */
  public record IndexedCorpus(AdapterTrainer.Corpus corpus, Map<String, Integer> documents) {}

  public static IndexedCorpus corpus(Index index, int dim) {
    Map<String, Integer> docs = new HashMap<>();
    List<Index.LeafVector> leaves = index.leafVectors();
    float[][] chunks = new float[leaves.size()][];
    int[] owner = new int[leaves.size()];
    for (int i = 0; i < leaves.size(); i++) {
      Index.LeafVector v = leaves.get(i);
      chunks[i] = v.vector();
      owner[i] = docs.computeIfAbsent(v.docId(), k -> docs.size());
    }
    return new IndexedCorpus(new AdapterTrainer.Corpus(dim, chunks, owner, docs.size()), docs);
  }

  /** The judged queries as training pairs: relevant = judged with a grade above 0 and present in the corpus. */
  public static AdapterTrainer.Pairs pairs(IndexedCorpus c, Embedder embedder, Map<String, String> queries, BeirBenchmark.Judged judged) {
    List<float[]> q = new ArrayList<>();
    List<int[]> rel = new ArrayList<>();
    for (String id : judged.qids()) {
      int[] r = judged.qrels().get(id).entrySet().stream().filter(e -> e.getValue() > 0 && c.documents().containsKey(e.getKey()))
          .mapToInt(e -> c.documents().get(e.getKey())).toArray();
      if (r.length == 0) continue;
      q.add(embedder.embedQuery(queries.get(id)));
      rel.add(r);
    }
    return new AdapterTrainer.Pairs(q.toArray(new float[0][]), rel.toArray(new int[0][]));
  }

  /**
   * What {@link #train} made: the query embedder through the adapter, and the choices to report.
   *
   * @param adapter the trained adapter with the scope chosen on dev ({@link AdapterScope})
   * @param choice the adapter's settings and dev figures, JSON-ready
   */
  public record Tuned(Embedder queries, QueryAdapter adapter, AdapterTrainer.Result result, Map<String, Object> choice) {}

  /**
   * What the adapter is trained for.
   *
   * <ul>
   *   <li>{@code CORPUS}: the questions to come are about the same documents as the training questions
   *       (a product's help pages, asked about again and again). Every document is a negative; early
   *       stopping on the whole dev split. It learns which documents get asked about, too.
   *   <li>{@code NEW_DOCUMENTS}: the questions to come are about documents no training question was
   *       about. Negatives are the 10 nearest documents and the batch's other positives (instead of
   *       the whole corpus, whose rare positives teach which documents get asked about), a learning rate of
   *       1e-4, and early stopping on the dev questions whose documents no training question judged.
   *       Chosen on that part of the SciFact train dev split (see the README).
   * </ul>
   */
  public enum Mode {
    CORPUS, NEW_DOCUMENTS;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public static Mode parse(String s) {
      for (Mode m : values()) if (m.label().equals(s)) return m;
      throw new IllegalArgumentException("unknown adapter mode '" + s + "'; accepted: corpus, new-documents");
    }

    AdapterTrainer.Settings settings() {
      return this == CORPUS ? AdapterTrainer.Settings.defaults() : AdapterTrainer.Settings.forNewDocuments();
    }
  }

  /**
   * Trains an adapter over the workspace's index on {@code train}'s queries, stopping early on
   * {@code dev}'s (in {@link Mode#NEW_DOCUMENTS}, on those of them whose documents {@code train} never judged).
   *
   * @param log told one line per epoch and a summary
   */
  public static Tuned train(dev.groundwork.app.BenchWorkspace w, BeirBenchmark bench, BeirBenchmark.Judged train, BeirBenchmark.Judged dev, Mode mode,
      java.util.function.Consumer<String> log) {
    AdapterTrainer.Settings settings = mode.settings();
    if (mode == Mode.NEW_DOCUMENTS) dev = judgedInTrain(dev, train, false);
    Map<String, String> text = bench.dataset().queries();
    IndexedCorpus corpus = corpus(w.index(), w.embedder().dimension());
    AdapterTrainer.Pairs trainPairs = pairs(corpus, w.embedder(), text, train), devPairs = pairs(corpus, w.embedder(), text, dev);
    log.accept(String.format(java.util.Locale.ROOT, "training a query adapter (%s) on %d train queries, stopping on %d dev queries; %d documents", mode.label(),
        trainPairs.size(), devPairs.size(), corpus.corpus().documents()));
    AdapterTrainer.Result r = AdapterTrainer.train(corpus.corpus(), trainPairs, devPairs, settings, Runtime.getRuntime().availableProcessors(),
        e -> log.accept(String.format(java.util.Locale.ROOT, "adapter epoch %2d  loss %.4f  dev dense nDCG@10 %.4f  %.1f s", e.epoch(), e.loss(),
            e.devNdcg10(), e.seconds())));
    log.accept(String.format(java.util.Locale.ROOT, "adapter trained in %.1f s: dev dense nDCG@10 %.4f -> %.4f (epoch %d)", r.seconds(), r.startDevNdcg10(),
        r.bestDevNdcg10(), r.bestEpoch()));
    AdapterScope.Choice scope = AdapterScope.choose(r.adapter(), trainPairs.queries(), corpus.corpus(), devPairs,
        settings.seed());
    for (AdapterScope.Candidate k : scope.candidates()) {
      log.accept(String.format(java.util.Locale.ROOT, "adapter scope on dev: similarity >= %.4f (quantile %.2f, %3.0f%% of dev moved)  dense nDCG@10 %.4f%s",
          k.threshold(), k.quantile(), 100 * k.coverage(), k.devNdcg10(), k == scope.chosen() ? "  (chosen)" : ""));
    }
    Map<String, Object> c = new java.util.LinkedHashMap<>();
    c.put("kind", "linear");
    c.put("mode", mode.label());
    c.put("train_queries", trainPairs.size());
    c.put("early_stopping_queries", devPairs.size());
    c.put("epochs", r.bestEpoch());
    c.put("temperature", settings.temperature());
    c.put("learning_rate", settings.learningRate());
    c.put("identity_pull", settings.identityPull());
    c.put("negatives", r.wholeCorpus() ? "whole corpus" : settings.minedNegatives() + " nearest + in-batch");
    c.put("dev_dense_ndcg@10_before", Json.round(r.startDevNdcg10()));
    c.put("dev_dense_ndcg@10_after", Json.round(r.bestDevNdcg10()));
    c.put("train_seconds", Json.round(r.seconds()));
    c.put("scope", scopeJson(scope));
    double[] us = applyMicros(scope.adapter(), devPairs.queries());
    log.accept(String.format(java.util.Locale.ROOT, "adapter cost per query (scope check and map, no embedding): p50 %.1f us, p99 %.1f us", us[0], us[1]));
    c.put("apply_us_p50", Json.round(us[0]));
    c.put("apply_us_p99", Json.round(us[1]));
    return new Tuned(adapted(w, scope.adapter()), scope.adapter(), r, c);
  }

  /**
   * What applying {@code adapter} adds to a query beyond its embedding: p50 and p99 in microseconds
   * of {@link QueryAdapter#apply} over {@code queries}, 20 passes after 20 of warm-up.
   */
  static double[] applyMicros(QueryAdapter adapter, float[][] queries) {
    List<Double> t = new ArrayList<>();
    float sink = 0;
    for (int pass = 0; pass < 40; pass++) {
      for (float[] q : queries) {
        long t0 = System.nanoTime();
        sink += adapter.apply(q)[0];
        if (pass >= 20) t.add((System.nanoTime() - t0) / 1e3);
      }
    }
    if (Float.isNaN(sink)) throw new IllegalStateException("an adapted query is not a number");
    java.util.Collections.sort(t);
    return new double[] {t.get(t.size() / 2), t.get((int) Math.min(t.size() - 1, Math.ceil(t.size() * 0.99) - 1))};
  }

  /** The scope chosen on dev, JSON-ready. */
  public static Map<String, Object> scopeJson(AdapterScope.Choice scope) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("anchors", scope.adapter().anchorCount());
    m.put("threshold", Json.round(scope.chosen().threshold()));
    m.put("dev_quantile", scope.chosen().quantile());
    m.put("dev_moved", Json.round(scope.chosen().coverage()));
    m.put("dev_dense_ndcg@10_scoped", Json.round(scope.chosen().devNdcg10()));
    m.put("dev_dense_ndcg@10_everywhere", Json.round(scope.devNdcg10Everywhere()));
    m.put("dev_dense_ndcg@10_none", Json.round(scope.devNdcg10None()));
    return m;
  }

  /**
   * The queries of {@code judged} whose relevant documents were ({@code seen}) or were not judged
   * relevant for any query of {@code train}.
   */
  public static BeirBenchmark.Judged judgedInTrain(BeirBenchmark.Judged judged, BeirBenchmark.Judged train, boolean seen) {
    java.util.Set<String> trainDocs = new java.util.HashSet<>();
    for (String q : train.qids()) train.qrels().get(q).forEach((d, g) -> {
      if (g > 0) trainDocs.add(d);
    });
    List<String> ids = judged.qids().stream()
        .filter(q -> judged.qrels().get(q).entrySet().stream().anyMatch(e -> e.getValue() > 0 && trainDocs.contains(e.getKey())) == seen).toList();
    return new BeirBenchmark.Judged(ids, judged.qrels());
  }

  /**
   * Searches with the tuned configuration where the adapter applies and the untuned one elsewhere:
   * settings chosen on dev with the adapter are for the questions it moves, so a question outside its
   * scope is searched exactly as without tuning. Each query is embedded once; both sides share it.
   *
   * @return for tuned options, the searcher
   */
  public static java.util.function.Function<dev.groundwork.core.retrieve.RetrievalOptions, dev.groundwork.core.retrieve.HybridRetriever> scoped(
      dev.groundwork.app.BenchWorkspace w, QueryAdapter adapter, dev.groundwork.core.retrieve.RetrievalOptions untuned) {
    Embedder once = new dev.groundwork.core.spi.OncePerQueryEmbedder(w.embedder());
    Embedder adapted = new dev.groundwork.tuning.AdaptedEmbedder(once, adapter, "bench");
    return tuned -> w.retriever(untuned, adapted, (q, configured) -> adapter.inScope(once.embedQuery(q)) ? tuned : configured);
  }


  /** The workspace's embedder with {@code adapter} applied to its queries. */
  public static Embedder adapted(dev.groundwork.app.BenchWorkspace w, QueryAdapter adapter) {
    return new dev.groundwork.tuning.AdaptedEmbedder(w.embedder(), adapter, "bench");
  }
}
