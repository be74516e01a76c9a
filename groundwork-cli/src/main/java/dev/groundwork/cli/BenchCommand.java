package dev.groundwork.cli;

import dev.groundwork.app.BenchWorkspace;
import dev.groundwork.app.Json;
import dev.groundwork.app.ProjectConfig;
import dev.groundwork.app.Requests;
import dev.groundwork.bench.BeirBenchmark;
import dev.groundwork.bench.BeirDataset;
import dev.groundwork.core.chunk.ChunkingOptions;
import dev.groundwork.core.retrieve.RetrievalOptions;
import dev.groundwork.core.retrieve.SearchMode;
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
    subcommands = {BenchCommand.Beir.class, BenchSquadCommand.class, BenchGatewayCommand.class, BenchStartupCommand.class, BenchHttpCommand.class, BenchFuzzCommand.class, BenchSoakCommand.class})
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
      BeirBenchmark.Result r;
      try (BenchWorkspace w = BenchWorkspace.open(project.root(), "beir-" + ds.name(), cfg, co, noCache);
          Progress progress = new Progress(Main.err(spec), "embed+index", "docs")) {
        BeirBenchmark.RetrieverFactory factory = mode -> w.retriever(ro.withMode(mode));
        r = new BeirBenchmark(ds, split, 200, queries, corpusSample).run(w.pipeline(progress), factory, ms);
      }
      print(r, ro, spec.commandLine().getOut(), json);
      return Main.OK;
    }

    static void print(BeirBenchmark.Result r, RetrievalOptions ro, PrintWriter out, boolean json) {
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
      out.println(Json.compact(m));
    }
  }
}
