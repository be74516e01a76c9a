package dev.groundwork.cli;

import dev.groundwork.app.Groundwork;
import dev.groundwork.app.Json;
import dev.groundwork.app.ProjectConfig;
import dev.groundwork.app.Requests;
import dev.groundwork.app.SearchResult;
import java.io.PrintWriter;
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
    try (Groundwork gw = Groundwork.open(project.root(), ProjectConfig.load(project.configFile()), false)) {
      SearchResult r = gw.search(new Requests.Search(query, k, flags.request()));
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.write(r));
        return Main.OK;
      }
      if (r.hits().isEmpty()) out.println("no results");
      for (SearchResult.Hit h : r.hits()) {
        out.printf("%3d  %.4f  %s%s%n", h.rank(), h.score(), Format.location(h.source(), h.heading(), h.page()), h.merged() ? "  (merged section)" : "");
        out.printf("      %s%n", Format.snippet(h.text(), 160));
      }
      out.printf("(%s, %d ms)%n", r.mode(), r.latencyMs());
      return Main.OK;
    }
  }
}
