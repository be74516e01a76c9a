package dev.groundwork.cli;

import dev.groundwork.app.Json;
import dev.groundwork.bench.RouterBenchmark;
import dev.groundwork.bench.RouterReport;
import dev.groundwork.routing.Outcomes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "router", mixinStandardHelpOptions = true, description = {
    "How well a router learned from outcome files picks between a weak and a strong model. It reads",
    "RouteLLM's outcome CSVs, RouterBench-style wide CSVs (a correctness column and a <model>|total_cost",
    "column per model) and routing-outcomes JSONL ({\"id\", \"prompt\", \"scores\": {model: 0..1}, \"costs\": {...}}).",
    "A folder means every .csv and .jsonl in it; a CSV's category is its file name.", "",
    "The router's kind and settings are chosen by 5-fold cross-validation on the training prompts only;",
    "the test prompts are scored once. It reports APGR, CPT(50%) and CPT(80%) beside a random router",
    "and the oracle on the same prompts, and the quality/strong-share curve (table; chart with --html).", "",
    "Example:",
    "  $ groundwork bench router --data ../shared/data/routellm/gsm8k --test-share 0.3 --seed 11",
    "  router: weak mistralai/Mixtral-8x7B-Instruct-v0.1 (quality 0.634), strong gpt-4-1106-preview (quality 0.846) on 396 test prompts; ...",
    "  chosen on 5 folds of train (seed 13): linear (ridge l2=30, words+shape)",
    "  ...",
    "  test          APGR   CPT50   CPT80",
    "  router       0.652   27.5%   58.9%",
    "  random       0.496       -       -",
    "  oracle       1.171   10.6%   17.0%"})
final class BenchRouterCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--data", paramLabel = "PATH", description = "One outcome set, split into train and test by --test-share and --seed.")
  Path data;

  @Option(names = "--test-share", defaultValue = "0.3", description = "With --data: the share of prompts held out for test (default: ${DEFAULT-VALUE}).")
  double testShare;

  @Option(names = "--seed", defaultValue = "11", description = "With --data: the split's shuffle seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--train", split = ",", paramLabel = "PATH", description = "Training outcome files or folders (instead of --data).")
  List<Path> train;

  @Option(names = "--test", paramLabel = "PATH", description = "Test outcome file or folder (with --train).")
  Path test;

  @Option(names = "--weak", paramLabel = "MODEL", description = "The weak model (a column or key name; default: the lowest mean score on train).")
  String weak;

  @Option(names = "--strong", paramLabel = "MODEL", description = "The strong model (default: the highest mean score on train).")
  String strong;

  @Option(names = "--exclude", paramLabel = "FILE", description = {"A JSONL of prompts to drop from both splits before anything else",
      "(RouteLLM's contaminated_prompts.jsonl: {\"eval_prompt\": ...})."})
  Path exclude;

  @Option(names = "--max-cost", paramLabel = "USD", description = {"With costs in the outcomes: report the best quality reachable at this",
      "cost per query or less (from the cost/quality frontier)."})
  Double maxCost;

  @Option(names = "--html", paramLabel = "FILE", description = "Also write an HTML report with the curve as a chart.")
  Path html;

  @Option(names = "--embed", description = "Also offer the router the prompts' embeddings, from the embedder of the project in -C (default: the "
      + "current folder), cached by content in the project's embedding cache; cross-validation on train decides whether the router uses them.")
  boolean embed;

  @picocli.CommandLine.Mixin ProjectOption project;

  @Option(names = "--json", description = "Also print one JSON object as the last line on stdout.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (data != null ? train != null || test != null : train == null || test == null) {
      throw new ParameterException(spec.commandLine(), "give either --data PATH (split by --test-share) or both --train PATH[,PATH...] and --test PATH");
    }
    RouterBenchmark.Data d = data != null ? RouterBenchmark.load(data, testShare, seed, exclude) : RouterBenchmark.load(train, test, exclude);
    List<Outcomes.Outcome> trainSet = d.train(), testSet = d.test();
    String[] pair = RouterBenchmark.pair(d, weak, strong);
    if (exclude != null) Main.err(spec).printf("dropped %d prompts listed in %s%n", d.excluded(), exclude);
    int total = RouterBenchmark.fits(trainSet, embed);
    RouterBenchmark.Result r;
    if (!embed) {
      try (Progress progress = new Progress(Main.err(spec), "choose router", "fits")) {
        progress.started(total);
        r = RouterBenchmark.run(trainSet, testSet, pair[0], pair[1], done -> progress.progressed(done, ""));
      }
    } else {
      dev.groundwork.app.ProjectConfig cfg = dev.groundwork.app.ProjectConfig.load(project.root().resolve(dev.groundwork.app.ProjectConfig.FILE));
      try (dev.groundwork.app.BenchWorkspace ws = dev.groundwork.app.BenchWorkspace.open(project.root(), "router", cfg, cfg.chunking(), false);
          Progress choosing = new Progress(Main.err(spec), "choose router", "fits")) {
        int distinct = (int) java.util.stream.Stream.concat(trainSet.stream(), testSet.stream()).map(Outcomes.Outcome::prompt).distinct().count();
        Progress embedding = new Progress(Main.err(spec), "embed prompts", "prompts");
        embedding.started(distinct);
        long t0 = System.nanoTime();
        r = RouterBenchmark.runEmbedded(trainSet, testSet, pair[0], pair[1], ws.embedderName(), ws.embedder().dimension(), ws::embedCached, done -> {
          embedding.progressed(done, "");
          if (done == distinct) {
            // every prompt has its embedding (from the cache, or made now): then the router is chosen
            embedding.close();
            Main.err(spec).printf(java.util.Locale.ROOT, "embedded %d prompts with %s in %.1f s%n", distinct, ws.embedderName(), (System.nanoTime() - t0) / 1e9);
            choosing.started(total);
          }
        }, done -> choosing.progressed(done, ""));
      }
    }
    RouterReport.print(r, spec.commandLine().getOut());
    RouterBenchmark.CostPoint underCost = null;
    if (maxCost != null) {
      if (r.costs() == null) throw new IllegalArgumentException("--max-cost needs a cost for every model on every prompt (RouterBench |total_cost columns or JSONL costs)");
      for (RouterBenchmark.CostPoint p : r.costs().frontier()) if (p.costUsd() <= maxCost) underCost = p;
      spec.commandLine().getOut().printf(java.util.Locale.ROOT, "best quality at $%.6f per query or less: %s%n", maxCost,
          underCost == null ? "none (every option costs more)" : String.format(java.util.Locale.ROOT, "%.3f (%s, $%.6f)", underCost.quality(), underCost.name(), underCost.costUsd()));
    }
    if (html != null) {
      Files.writeString(html, RouterReport.html(r));
      Main.err(spec).println("wrote " + html);
    }
    if (json) {
      Map<String, Object> m = json(r, d.excluded());
      if (maxCost != null) m.put("best_under_cost", underCost == null ? null : point(underCost));
      spec.commandLine().getOut().println(Json.compact(m));
    }
    return 0;
  }

  private static Map<String, Object> json(RouterBenchmark.Result r, int excluded) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("weak", r.weak());
    m.put("strong", r.strong());
    m.put("n_train", r.nTrain());
    m.put("n_test", r.nTest());
    m.put("excluded", excluded);
    m.put("weak_quality", Json.round(r.weakQuality()));
    m.put("strong_quality", Json.round(r.strongQuality()));
    Map<String, Object> router = new LinkedHashMap<>();
    router.put("apgr", Json.round(r.apgr()));
    router.put("cpt50", nullable(r.cpt50()));
    router.put("cpt80", nullable(r.cpt80()));
    router.put("chosen", r.choice().chosen().describe());
    Map<String, Object> cv = new LinkedHashMap<>();
    r.choice().cvApgr().forEach((k, v) -> cv.put(k.describe(), Json.round(v)));
    router.put("cv_apgr", cv);
    m.put("router", router);
    m.put("random", Map.of("apgr", Json.round(r.randomApgr())));
    Map<String, Object> oracle = new LinkedHashMap<>();
    oracle.put("apgr", Json.round(r.oracleApgr()));
    oracle.put("cpt50", nullable(r.oracleCpt50()));
    oracle.put("cpt80", nullable(r.oracleCpt80()));
    m.put("oracle", oracle);
    List<Map<String, Object>> curve = new ArrayList<>();
    for (RouterBenchmark.Point p : r.curve()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("strong_share", Json.round(p.strongShare()));
      c.put("quality", Json.round(p.quality()));
      c.put("pgr", Json.round(p.pgr()));
      c.put("oracle_quality", Json.round(p.oracleQuality()));
      curve.add(c);
    }
    m.put("curve", curve);
    if (r.costs() != null) {
      m.put("models", r.costs().models().stream().map(BenchRouterCommand::point).toList());
      m.put("frontier", r.costs().frontier().stream().map(BenchRouterCommand::point).toList());
      m.put("cost_at_95", r.costs().costAt95() == null ? null : r.costs().costAt95().costUsd());
    }
    m.put("score_p50_us", Json.round(r.scoreP50Us()));
    m.put("score_p99_us", Json.round(r.scoreP99Us()));
    m.put("baseline_p50_us", Json.round(r.baselineP50Us()));
    m.put("baseline_p99_us", Json.round(r.baselineP99Us()));
    m.put("seconds", Json.round(r.seconds()));
    return m;
  }

  private static Map<String, Object> point(RouterBenchmark.CostPoint p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", p.name());
    m.put("cost_usd", p.costUsd());
    m.put("quality", Json.round(p.quality()));
    return m;
  }

  private static Object nullable(double v) {
    return Double.isNaN(v) ? null : Json.round(v); // NaN: no strong share reaches that PGR
  }
}
