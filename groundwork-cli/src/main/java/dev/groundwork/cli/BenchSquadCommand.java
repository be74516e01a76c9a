package dev.groundwork.cli;

import dev.groundwork.app.BenchWorkspace;
import dev.groundwork.app.Limits;
import dev.groundwork.app.Json;
import dev.groundwork.app.Project;
import dev.groundwork.app.ProjectConfig;
import dev.groundwork.bench.SquadBenchmark;
import dev.groundwork.bench.SquadDataset;
import dev.groundwork.core.answer.AskPipeline;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "squad", mixinStandardHelpOptions = true, description = {
    "End-to-end answer quality on SQuAD v1.1: ingest N seeded-random articles, ask their questions",
    "(answerable) and questions of other articles (unanswerable: they should be refused).", "",
    "Reports containment (a gold answer is in the answer), citation accuracy (a cited chunk holds a",
    "gold answer), refusal and false-answer rates on unanswerable questions, over-refusal, hit@k",
    "and timing, with the project's retrieval and answer settings.", "",
    "Example:",
    "  $ groundwork bench squad --dataset ../shared/data/squad-v1.1/dev-v1.1.json --articles 10 --seed 7",
    "  SQuAD v1.1: 10 articles (349 paragraphs), 200 answerable + 100 unanswerable questions, k=8",
    "  metric                          value",
    "  containment                     0.785",
    "  citation accuracy               0.965",
    "  refusal rate (unanswerable)     0.970",
    "  false answers (unanswerable)    0.030",
    "  ..."})
final class BenchSquadCommand implements Callable<Integer> {
  @Mixin ProjectOption project;

  @Mixin ModelFlags modelFlags;

  @Option(names = "--dataset", required = true, paramLabel = "FILE", description = "dev-v1.1.json.")
  Path dataset;

  @Option(names = "--articles", defaultValue = "10", description = "Articles to ingest (default: ${DEFAULT-VALUE}).")
  int articles;

  @Option(names = "--seed", defaultValue = "7", description = "Seed for choosing articles and questions (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--per-article", defaultValue = "20", description = "Answerable questions per article (default: ${DEFAULT-VALUE}).")
  int perArticle;

  @Option(names = "--unanswerable", defaultValue = "100", description = "Unanswerable questions (default: ${DEFAULT-VALUE}).")
  int unanswerable;

  @Option(names = "--k", paramLabel = "N", description = "Chunks retrieved per question (default: retrieval.k, 8).")
  Integer k;

  @Option(names = "--json", description = "Also print one JSON object as the last thing on stdout.")
  boolean json;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ProjectConfig cfg = modelFlags.config(project);
    int kk = k != null ? k : cfg.k();
    Limits.k(kk, Limits.MAX_ASK_K, "--k");
    var data = SquadDataset.read(dataset);
    SquadBenchmark.Result r;
    try (BenchWorkspace w = BenchWorkspace.open(project.root(), "squad", cfg, cfg.chunking(), false);
        Project models = Project.open(project.root(), cfg, false);
        Progress progress = new Progress(Main.err(spec), "embed+index", "paragraphs")) {
      // the extractive default needs the benchmark's index for its term statistics; a language model does not
      var answerer = cfg.answerModel().equals("extractive") ? w.extractiveAnswerer() : models.answerer(null);
      AskPipeline ask = new AskPipeline(w.retriever(cfg.retrieval()), answerer, cfg.models().prices(),
          w.embedderName());
      r = new SquadBenchmark(data, articles, seed, perArticle, unanswerable).run(w.pipeline(progress), ask, kk);
    }
    print(r, spec.commandLine().getOut(), json);
    return Main.OK;
  }

  static void print(SquadBenchmark.Result r, PrintWriter out, boolean json) {
    out.printf("SQuAD v1.1: %d articles (%d paragraphs), %d answerable + %d unanswerable questions, k=%d%n",
        r.articles(), r.paragraphs(), r.answerable(), r.unanswerable(), r.k());
    out.printf("%-28s %8s%n", "metric", "value");
    out.printf("%-28s %8.3f%n", "containment", r.containment());
    out.printf("%-28s %8.3f%n", "citation accuracy", r.citationAccuracy());
    out.printf("%-28s %8.3f%n", "refusal rate (unanswerable)", r.refusalRate());
    out.printf("%-28s %8.3f%n", "false answers (unanswerable)", r.falseAnswerRate());
    out.printf("%-28s %8.3f%n", "over-refusal (answerable)", r.overRefusal());
    out.printf("%-28s %8.3f%n", "hit@k", r.hitAtK());
    out.printf("%-28s %8.1f%n", "p50 ms per question", r.p50Ms());
    out.printf("%-28s %8.1f%n", "seconds", r.seconds());
    if (!json) return;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("articles", r.articles());
    m.put("paragraphs", r.paragraphs());
    m.put("questions", r.questions());
    m.put("answerable", r.answerable());
    m.put("unanswerable", r.unanswerable());
    m.put("k", r.k());
    m.put("containment", Json.round(r.containment()));
    m.put("citation_accuracy", Json.round(r.citationAccuracy()));
    m.put("refusal_rate", Json.round(r.refusalRate()));
    m.put("false_answer_rate", Json.round(r.falseAnswerRate()));
    m.put("over_refusal", Json.round(r.overRefusal()));
    m.put("hit_at_k", Json.round(r.hitAtK()));
    m.put("p50_ms", Json.round(r.p50Ms()));
    m.put("seconds", Json.round(r.seconds()));
    out.println(Json.compact(m));
  }
}
