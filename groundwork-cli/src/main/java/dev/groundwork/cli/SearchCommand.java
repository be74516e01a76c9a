package dev.groundwork.cli;

import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.retrieve.HybridRetriever;
import dev.groundwork.core.retrieve.RetrievalOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "search", mixinStandardHelpOptions = true, description = {
    "Rank the indexed chunks for a query and show them with scores and sources.", "",
    "Example:",
    "  $ groundwork search \"retention period\" --k 2",
    "    1  1.9261  docs/operations-guide.md  Tidewater Operations Guide > Retention",
    "        Succeeded job records are kept for 14 days by default so that you can look up ...",
    "    2  1.2483  docs/pricing.html  Tidewater Cloud pricing > Billing",
    "        Plans are billed monthly in advance. Annual billing gets two months free. ...",
    "  (hybrid, 41 ms)"})
final class SearchCommand implements Callable<Integer> {
  @Mixin ProjectOption project;

  @Mixin RetrievalFlags flags;

  @Parameters(index = "0", paramLabel = "QUERY", description = "What to search for.")
  String query;

  @Option(names = "--k", paramLabel = "N", defaultValue = "10", description = "Number of results, 1..1000 (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--json", description = "Print one JSON document on stdout.")
  boolean json;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (k < 1 || k > 1000) throw new IllegalArgumentException("--k must be in 1..1000, got " + k);
    try (Project p = Project.open(project.root(), false)) {
      requireIndex(p);
      RetrievalOptions o = flags.apply(p.config().retrieval());
      HybridRetriever retriever = p.retriever(o);
      long t0 = System.nanoTime();
      HybridRetriever.Result r = retriever.search(query, k, flags.filter());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("query", query);
        m.put("mode", o.mode().label());
        m.put("k", k);
        List<Map<String, Object>> hits = new ArrayList<>();
        for (int i = 0; i < r.hits().size(); i++) hits.add(Json.hit(i + 1, r.hits().get(i)));
        m.put("results", hits);
        m.put("latency_ms", ms);
        out.println(Json.write(m));
      } else {
        if (r.hits().isEmpty()) out.println("no results");
        for (int i = 0; i < r.hits().size(); i++) {
          ScoredChunk h = r.hits().get(i);
          out.printf("%3d  %.4f  %s%s%n", i + 1, h.score(), Format.location(h.chunk()), h.chunk().isParent() ? "  (merged section)" : "");
          out.printf("      %s%n", Format.snippet(h.chunk().text(), 160));
        }
        out.printf("(%s, %d ms)%n", o.mode().label(), ms);
      }
      return Main.OK;
    }
  }

  static void requireIndex(Project p) {
    if (!p.hasIndex()) {
      throw new IllegalStateException("no index in " + p.dataDir() + "; run `groundwork ingest PATH...` (or `groundwork demo`) first");
    }
  }
}
