package dev.groundwork.cli;

import dev.groundwork.app.BenchWorkspace;
import dev.groundwork.app.Json;
import dev.groundwork.app.ProjectConfig;
import dev.groundwork.app.Requests;
import dev.groundwork.bench.BeirAdapter;
import dev.groundwork.bench.BeirBenchmark;
import dev.groundwork.bench.BeirDataset;
import dev.groundwork.bench.BeirTuning;
import dev.groundwork.core.chunk.ChunkingOptions;
import dev.groundwork.core.retrieve.Fusion;
import dev.groundwork.core.retrieve.NormalizedScoreFusion;
import dev.groundwork.core.retrieve.ReciprocalRankFusion;
import dev.groundwork.core.retrieve.RetrievalOptions;
import dev.groundwork.core.retrieve.SearchMode;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks. Results print as a table; --json adds one JSON object as the last thing on stdout.",
    subcommands = {BenchCommand.Beir.class, BenchSquadCommand.class, BenchAdviseCommand.class, BenchRouterCommand.class, BenchGatewayCommand.class, BenchConversationsCommand.class, BenchStartupCommand.class, BenchHttpCommand.class, BenchFuzzCommand.class, BenchSoakCommand.class})
final class BenchCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  @Command(name = "beir", mixinStandardHelpOptions = true, description = {
      "Retrieval quality and speed on a BEIR dataset (corpus.jsonl, queries.jsonl, qrels/<split>.tsv).", "",
      "Indexes the corpus with the project's own chunker, embedder and index (a fresh index in",
      ".groundwork/bench/; embeddings are cached in .groundwork/cache so a re-run is fast), then",
      "reports nDCG@10, Recall@10, Recall@100, MRR@10 and query latency per mode.", "",
      "Example:",
      "  $ groundwork bench beir --dataset ../shared/data/scifact",
      "  BEIR scifact (test split): 5183 documents, 300 queries; fusion zscore, late interaction weight 1.0 over top 100, IDF; Java 25, 2 cores",
      "  mode      nDCG@10     R@10    R@100   MRR@10   p50 ms   p95 ms",
      "  bm25       0.6906   0.8074   0.9126   0.6633      8.3     12.9",
      "  dense      0.7147   0.8362   0.9533   0.6846     15.8     19.4",
      "  hybrid     0.7507   0.8730   0.9683   0.7179     19.8     26.6",
      "  index: 5183 docs in 369.6 s = 14.0 docs/s (7612 chunks; 7612 embedded, 0 from cache)"})
  static final class Beir implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Option(names = "--dataset", required = true, paramLabel = "DIR", description = "The BEIR dataset folder.")
    Path dataset;

    @Option(names = "--split", defaultValue = "test", description = "Qrels split (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--modes", defaultValue = "bm25,dense,hybrid", split = ",", description = "Modes to measure (default: ${DEFAULT-VALUE}).")
    List<String> modes;

    @Option(names = "--fusion", paramLabel = "F", description = "Override retrieval.fusion: zscore, minmax or rrf.")
    String fusion;

    @Option(names = "--queries", defaultValue = "0", paramLabel = "N", description = "Use only the first N judged queries (0 = all).")
    int queries;

    @Option(names = "--corpus-sample", defaultValue = "0", paramLabel = "N",
        description = "Index only the documents judged for the used queries plus N others (0 = whole corpus; for smoke runs).")
    int corpusSample;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Override chunking.max_tokens for this run.")
    Integer maxTokens;

    @Option(names = "--no-cache", description = "Do not use the embedding cache (measures cold embedding throughput).")
    boolean noCache;

    @Option(names = "--json", description = "Also print one JSON object as the last thing on stdout.")
    boolean json;

    @Option(names = "--tune", description = {"Also choose the retrieval settings (fusion, BM25:dense weights, late-interaction weight",
        "and IDF, candidates) on a dev split carved from the train qrels, then report the test split once",
        "with them, beside the untuned figures. The test queries play no part in any choice."})
    boolean tune;

    @Option(names = "--adapter", arity = "0..1", fallbackValue = "corpus", paramLabel = "MODE", description = {
        "With --tune: first train a query adapter (a linear map over the frozen embedder's query vectors)",
        "on the rest of train, stopping early on the dev split, then choose the fusion settings with it on",
        "dev, and report test once with both. MODE: corpus (the default: later questions are about the",
        "same documents) or new-documents (they are about documents no training question was about)."})
    String adapter;

    @Option(names = "--transfer", paramLabel = "DATASET", description = {"With --tune --adapter: also measure the tuned configuration on another dataset it was",
        "not trained on (a BEIR folder, or a SQuAD JSON file read as one), beside the untuned one."})
    Path transfer;

    @Option(names = "--transfer-queries", defaultValue = "1000", paramLabel = "N", description = "Judged queries of the transfer dataset to use (default: ${DEFAULT-VALUE}).")
    int transferQueries;

    @Option(names = "--dev-size", defaultValue = "160", paramLabel = "N", description = "Queries in the dev split drawn from train (default: ${DEFAULT-VALUE}).")
    int devSize;

    @Option(names = "--seed", defaultValue = "13", paramLabel = "S", description = "Seed of the dev split's draw (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--late-weight", paramLabel = "W",
        description = "Weight of late-interaction rescoring in hybrid mode; 0 measures plain fusion (default: retrieval.late_weight).")
    Double lateWeight;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      BeirDataset ds = new BeirDataset(dataset);
      List<SearchMode> ms = new ArrayList<>();
      for (String m : modes) ms.add(SearchMode.parse(m));
      ProjectConfig cfg = ProjectConfig.load(project.root().resolve(ProjectConfig.FILE));
      ChunkingOptions co = cfg.chunking();
      if (maxTokens != null) co = new ChunkingOptions(maxTokens, Math.min(co.overlapTokens(), maxTokens / 2 - 1), co.hierarchical(), Math.max(co.parentMaxTokens(), maxTokens));
      RetrievalOptions base = new Requests.Retrieval(null, fusion, lateWeight, null).apply(cfg.retrieval(), cfg.rrfK());
      RetrievalOptions ro = base.withCandidates(Math.max(200, base.candidates()));
      if (transfer != null && adapter == null) throw new dev.groundwork.app.BadInputException("--transfer measures the tuned adapter elsewhere: add --tune --adapter");
      if (adapter != null) BeirAdapter.Mode.parse(adapter); // a typo fails before the corpus is indexed
      if (adapter != null && !tune) throw new dev.groundwork.app.BadInputException("--adapter is part of --tune: add --tune");
      if (tune && split.equals("train")) throw new dev.groundwork.app.BadInputException("--tune chooses on a dev split of train; report on another --split (test)");
      BeirBenchmark.Result r;
      Map<String, Object> tuned = null;
      PrintWriter out = spec.commandLine().getOut();
      try (BenchWorkspace w = BenchWorkspace.open(project.root(), "beir-" + ds.name(), cfg, co, noCache)) {
        BeirBenchmark bench = new BeirBenchmark(ds, 200, corpusSample);
        BeirBenchmark.Indexed ix;
        try (Progress progress = new Progress(Main.err(spec), "embed+index", "docs")) {
          ix = bench.index(w.pipeline(progress));
        }
        BeirBenchmark.Judged test = bench.judged(split, ix);
        if (queries > 0 && test.qids().size() > queries) test = new BeirBenchmark.Judged(test.qids().subList(0, queries), test.qrels());
        if (test.qids().isEmpty()) throw new IllegalArgumentException("no judged queries for split '" + split + "' among the indexed documents");
        Map<String, BeirBenchmark.ModeResult> results = new LinkedHashMap<>();
        for (SearchMode m : ms) results.put(m.label(), bench.evaluate(w.retriever(ro.withMode(m)), m, test));
        r = new BeirBenchmark.Result(ds.name(), split, ix.documents().size(), test.qids().size(), ix.report(), ix.docsPerSecond(), results);
        if (tune) tuned = tune(bench, w, ro, ix, test, cfg.rrfK(), out);
      }
      if (transfer != null) tuned.put("transfer", transfer(cfg, co, ro, out));
      print(r, ro, out, json, tuned);
      return Main.OK;
    }

    /** Chooses settings on a dev split of train, then measures test once with them; prints as it goes and returns the JSON "tuned" object. */
    private Map<String, Object> tune(BeirBenchmark bench, BenchWorkspace w, RetrievalOptions ro, BeirBenchmark.Indexed ix, BeirBenchmark.Judged test,
        int rrfK, PrintWriter out) {
      BeirBenchmark.Judged train = bench.judged("train", ix);
      if (train.qids().size() < devSize) {
        throw new dev.groundwork.app.BadInputException("--dev-size " + devSize + " is more than the " + train.qids().size() + " judged train queries");
      }
      List<String> devIds = BeirTuning.devSplit(train.qids(), devSize, seed);
      java.util.Set<String> testIds = new java.util.HashSet<>(test.qids());
      if (devIds.stream().anyMatch(testIds::contains)) throw new IllegalStateException("a dev query is also a test query; the splits overlap");
      BeirBenchmark.Judged dev = new BeirBenchmark.Judged(devIds, train.qrels());
      Map<String, Fusion> fusions = new LinkedHashMap<>();
      fusions.put("zscore", new NormalizedScoreFusion(NormalizedScoreFusion.Norm.Z_SCORE));
      fusions.put("minmax", new NormalizedScoreFusion(NormalizedScoreFusion.Norm.MIN_MAX));
      fusions.put("rrf", new ReciprocalRankFusion(rrfK));
      PrintStream err = Main.err(spec);
      java.util.function.Function<RetrievalOptions, dev.groundwork.core.retrieve.HybridRetriever> retrievers = w::retriever;
      Map<String, Object> adapterChoice = null;
      BeirAdapter.Tuned trained = null;
      if (adapter != null) {
        java.util.Set<String> devSet = new java.util.HashSet<>(devIds);
        List<String> rest = train.qids().stream().filter(q -> !devSet.contains(q)).toList();
        BeirAdapter.Tuned tuned = BeirAdapter.train(w, bench, new BeirBenchmark.Judged(rest, train.qrels()), dev, BeirAdapter.Mode.parse(adapter),
            line -> err.println("groundwork: " + line));
        retrievers = BeirAdapter.scoped(w, tuned.adapter(), ro);
        adapterChoice = tuned.choice();
        trained = tuned;
      }
      BeirTuning.Outcome o = BeirTuning.tune(bench, retrievers, ro, fusions, dev, train.qids().size(), seed,
          st -> err.printf("groundwork: tune on dev: %-20s %-44s nDCG@10 %.4f%s%n", st.setting(), st.value(), st.devNdcg10(),
              Double.isNaN(st.pValue()) ? "" : String.format(java.util.Locale.ROOT, "  paired p=%.3f%s", st.pValue(), st.pValue() < BeirTuning.ALPHA ? " (moves)" : "")));
      if (adapterChoice != null) o.choices().put("adapter", adapterChoice);
      Map<String, BeirBenchmark.ModeResult> after = new LinkedHashMap<>();
      for (SearchMode m : List.of(SearchMode.DENSE, SearchMode.HYBRID)) after.put(m.label(), bench.evaluate(retrievers.apply(o.chosen().withMode(m)), m, test));
      out.printf("%ntuned on a dev split of train (%d of its %d judged queries, seed %d; test played no part): %s; dev hybrid nDCG@10 %.4f%n",
          o.devQueries(), o.trainQueries(), o.seed(), o.choices(), o.devNdcg10());
      out.printf("%-8s %8s %8s %8s %8s%n", "tuned", "nDCG@10", "R@10", "R@100", "p50 ms");
      after.forEach((m, x) -> out.printf("%-8s %8.4f %8.4f %8.4f %8.1f%n", m, x.ndcg10(), x.recall10(), x.recall100(), x.p50Ms()));
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("chosen", o.choices());
      Map<String, Object> devJson = new LinkedHashMap<>();
      devJson.put("from_split", "train");
      devJson.put("queries", o.devQueries());
      devJson.put("train_queries", o.trainQueries());
      devJson.put("seed", o.seed());
      devJson.put("ndcg@10", Json.round(o.devNdcg10()));
      List<Map<String, Object>> trace = new ArrayList<>();
      for (BeirTuning.Step st : o.trace()) {
        Map<String, Object> sm = new LinkedHashMap<>();
        sm.put("setting", st.setting());
        sm.put("value", st.value());
        sm.put("ndcg@10", Json.round(st.devNdcg10()));
        sm.put("p_value", Double.isNaN(st.pValue()) ? null : Json.round(st.pValue()));
        trace.add(sm);
      }
      devJson.put("trace", trace);
      t.put("dev", devJson);
      Map<String, Object> modes = new LinkedHashMap<>();
      after.forEach((m, x) -> modes.put(m, Map.of("ndcg@10", Json.round(x.ndcg10()), "recall@100", Json.round(x.recall100()), "p50_ms", Json.round(x.p50Ms()))));
      t.put("modes", modes);
      if (trained != null) {
        t.put("by_documents", byDocuments(bench, w, ro, o.chosen(), trained, train, test, out));
        chosen = o.chosen();
        trainedAdapter = trained;
      }
      return t;
    }

    /** The tuned settings and adapter, kept for --transfer (which measures after the first workspace is closed). */
    private RetrievalOptions chosen;

    private BeirAdapter.Tuned trainedAdapter;

    /**
     * Test split apart by whether a query's relevant documents were relevant to any train query: the
     * adapter can learn which documents get asked about, so the unseen half says what it does for new ones.
     */
    private Map<String, Object> byDocuments(BeirBenchmark bench, BenchWorkspace w, RetrievalOptions untuned, RetrievalOptions tunedOptions,
        BeirAdapter.Tuned tuned, BeirBenchmark.Judged train, BeirBenchmark.Judged test, PrintWriter out) {
      Map<String, Object> json = new LinkedHashMap<>();
      out.printf("%ntest queries by whether their relevant documents were judged for a train query (seen) or not (unseen):%n");
      out.printf("%-8s %7s %10s %10s %10s %10s%n", "subset", "queries", "dense", "dense+ad", "hybrid", "tuned");
      for (boolean seen : new boolean[] {true, false}) {
        BeirBenchmark.Judged sub = BeirAdapter.judgedInTrain(test, train, seen);
        List<String> ids = sub.qids();
        if (ids.isEmpty()) continue;
        double d0 = bench.evaluate(w.retriever(untuned.withMode(SearchMode.DENSE)), SearchMode.DENSE, sub).ndcg10();
        double d1 = bench.evaluate(w.retriever(untuned.withMode(SearchMode.DENSE), tuned.queries()), SearchMode.DENSE, sub).ndcg10();
        double h0 = bench.evaluate(w.retriever(untuned.withMode(SearchMode.HYBRID)), SearchMode.HYBRID, sub).ndcg10();
        double h1 = bench.evaluate(BeirAdapter.scoped(w, tuned.adapter(), untuned).apply(tunedOptions.withMode(SearchMode.HYBRID)), SearchMode.HYBRID, sub).ndcg10();
        String name = seen ? "seen" : "unseen";
        out.printf("%-8s %7d %10.4f %10.4f %10.4f %10.4f%n", name, ids.size(), d0, d1, h0, h1);
        json.put(name, Map.of("queries", ids.size(), "dense_ndcg@10_untuned", Json.round(d0), "dense_ndcg@10_tuned", Json.round(d1),
            "hybrid_ndcg@10_untuned", Json.round(h0), "hybrid_ndcg@10_tuned", Json.round(h1)));
      }
      return json;
    }

    /** The tuned configuration on a dataset it was not trained on, beside the untuned one. */
    private Map<String, Object> transfer(ProjectConfig cfg, ChunkingOptions co, RetrievalOptions untuned, PrintWriter out) throws Exception {
      BeirDataset ds = new BeirDataset(transfer);
      try (BenchWorkspace w = BenchWorkspace.open(project.root(), "beir-" + ds.name(), cfg, co, noCache)) {
        BeirBenchmark bench = new BeirBenchmark(ds, 200, 0);
        BeirBenchmark.Indexed ix;
        try (Progress progress = new Progress(Main.err(spec), "embed+index " + ds.name(), "docs")) {
          ix = bench.index(w.pipeline(progress));
        }
        BeirBenchmark.Judged all = bench.judged("test", ix);
        // a seeded draw of the judged queries, independent of anything measured
        List<String> ids = new ArrayList<>(all.qids());
        java.util.Collections.shuffle(ids, new java.util.Random(BeirBenchmark.SAMPLE_SEED));
        BeirBenchmark.Judged judged = new BeirBenchmark.Judged(ids.subList(0, Math.min(transferQueries, ids.size())), all.qrels());
        var tunedSearch = BeirAdapter.scoped(w, trainedAdapter.adapter(), untuned);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dataset", ds.name());
        json.put("queries", judged.qids().size());
        out.printf("%ntransfer to %s (%d documents, %d queries; not trained on):%n", ds.name(), ix.documents().size(), judged.qids().size());
        out.printf("%-8s %10s %10s %8s%n", "mode", "untuned", "tuned", "change");
        for (SearchMode m : List.of(SearchMode.DENSE, SearchMode.HYBRID)) {
          double before = bench.evaluate(w.retriever(untuned.withMode(m)), m, judged).ndcg10();
          double after = bench.evaluate(tunedSearch.apply((m == SearchMode.DENSE ? untuned : chosen).withMode(m)), m, judged).ndcg10();
          out.printf("%-8s %10.4f %10.4f %+8.4f%n", m.label(), before, after, after - before);
          json.put(m.label(), Map.of("ndcg@10_untuned", Json.round(before), "ndcg@10_tuned", Json.round(after)));
        }
        return json;
      }
    }

    static void print(BeirBenchmark.Result r, RetrievalOptions ro, PrintWriter out, boolean json, Map<String, Object> tuned) {
      out.printf("BEIR %s (%s split): %d documents, %d queries; fusion %s, late interaction %s; Java %s, %d cores%n", r.dataset(), r.split(), r.documents(), r.queries(),
          ro.fusion().name(), ro.lateWeight() > 0 ? "weight " + ro.lateWeight() + " over top " + ro.lateDepth() + (ro.lateIdf() ? ", IDF" : "") : "off", Runtime.version().feature(), Runtime.getRuntime().availableProcessors());
      out.printf("%-8s %8s %8s %8s %8s %8s %8s%n", "mode", "nDCG@10", "R@10", "R@100", "MRR@10", "p50 ms", "p95 ms");
      r.modes().forEach((m, x) -> out.printf("%-8s %8.4f %8.4f %8.4f %8.4f %8.1f %8.1f%n", m, x.ndcg10(), x.recall10(), x.recall100(), x.mrr10(), x.p50Ms(), x.p95Ms()));
      out.printf("index: %d docs in %.1f s = %.1f docs/s (%d chunks; %d embedded, %d from cache)%n", r.documents(), r.ingest().seconds(),
          r.indexDocsPerSecond(), r.ingest().chunks(), r.ingest().embedded(), r.ingest().cached());
      if (!json) return;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dataset", r.dataset());
      m.put("split", r.split());
      m.put("documents", r.documents());
      m.put("queries", r.queries());
      m.put("fusion", ro.fusion().name());
      m.put("late_weight", ro.lateWeight());
      m.put("late_idf", ro.lateIdf());
      Map<String, Object> modes = new LinkedHashMap<>();
      r.modes().forEach((name, x) -> {
        Map<String, Object> mm = new LinkedHashMap<>();
        mm.put("ndcg@10", Json.round(x.ndcg10()));
        mm.put("recall@10", Json.round(x.recall10()));
        mm.put("recall@100", Json.round(x.recall100()));
        mm.put("mrr@10", Json.round(x.mrr10()));
        mm.put("p50_ms", Json.round(x.p50Ms()));
        mm.put("p95_ms", Json.round(x.p95Ms()));
        modes.put(name, mm);
      });
      m.put("modes", modes);
      m.put("index_docs_per_s", Json.round(r.indexDocsPerSecond()));
      m.put("index_seconds", Json.round(r.ingest().seconds()));
      m.put("chunks", r.ingest().chunks());
      m.put("embedded", r.ingest().embedded());
      m.put("cached", r.ingest().cached());
      if (tuned != null) m.put("tuned", tuned);
      out.println(Json.compact(m));
    }
  }
}
