package dev.groundwork.cli;

import dev.groundwork.app.BenchWorkspace;
import dev.groundwork.app.Limits;
import dev.groundwork.app.Json;
import dev.groundwork.app.Project;
import dev.groundwork.app.ProjectConfig;
import dev.groundwork.bench.SquadBenchmark;
import dev.groundwork.bench.SquadDataset;
import dev.groundwork.bench.SquadReport;
import dev.groundwork.bench.SquadV2Benchmark;
import dev.groundwork.core.answer.ExtractiveAnswerer;
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
    "End-to-end answer quality on SQuAD. With SQuAD v1.1: ingest N seeded-random articles, ask their",
    "questions (answerable) and questions of other articles (off-topic: they should be refused).", "",
    "With SQuAD 2.0 (a file with is_impossible questions) it also asks the unanswerable questions written",
    "against the same paragraphs to look answerable, and reports their false answers apart from",
    "off-topic ones, SQuAD 2.0's EM/F1 (HasAns, NoAns) and the risk-coverage curve: false answers",
    "against containment as answer.min_answerability moves. Articles are split by article (fixed seed):",
    "--split tune is where the answerability model and its threshold are fitted (--fit-answerability),",
    "--split report is where figures are reported.", "",
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
    "  ...",
    "  $ groundwork bench squad --dataset ../shared/data/squad-v2.0/dev-v2.0-6articles.json --split report --html squad.html",
    "  SQuAD 2.0: articles [...] (...), 150 answerable + 150 same-paragraph unanswerable + 50 off-topic, k=8, min_answerability=...",
    "  false answers, same-paragraph    ...",
    "  risk-coverage: each row refuses answers whose answerability is below the threshold",
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

  @Option(names = "--split", defaultValue = "report", description = "SQuAD 2.0: tune, report or all articles (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--answerable", defaultValue = "150", description = "SQuAD 2.0: answerable questions (default: ${DEFAULT-VALUE}).")
  int answerableV2;

  @Option(names = "--same-paragraph", defaultValue = "150", description = "SQuAD 2.0: unanswerable same-paragraph questions (default: ${DEFAULT-VALUE}).")
  int sameParagraph;

  @Option(names = "--off-topic", defaultValue = "50", description = "SQuAD 2.0: questions of the other split's articles (default: ${DEFAULT-VALUE}).")
  int offTopic;

  @Option(names = "--html", paramLabel = "FILE", description = "SQuAD 2.0: also write the figures and the risk-coverage chart as an HTML page.")
  Path html;

  @Option(names = "--fit-answerability", paramLabel = "FILE", description = {
      "SQuAD 2.0, --split tune only: fit the answerability model on every question of the tuning articles,",
      "choose its threshold (the highest keeping --keep-share of the answers that hold a gold answer) and write",
      "the model to FILE."})
  Path fitTo;

  @Option(names = "--features-out", paramLabel = "FILE", description = "With --fit-answerability: also write the training rows as TSV.")
  Path featuresOut;

  @Option(names = "--keep-share", defaultValue = "0.92", description = {
      "With --fit-answerability: the share of correct answers the threshold must keep (default: ${DEFAULT-VALUE};",
      "the target lets containment fall from 0.71 to 0.65)."})
  double keepShare;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ProjectConfig cfg = modelFlags.config(project);
    int kk = k != null ? k : cfg.k();
    Limits.k(kk, Limits.MAX_ASK_K, "--k");
    var data = SquadDataset.read(dataset);
    if (SquadDataset.hasUnanswerable(data)) return squad2(cfg, kk, data);
    if (fitTo != null) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--fit-answerability needs a SQuAD 2.0 file");
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

  private Integer squad2(ProjectConfig cfg, int kk, java.util.List<SquadDataset.Article> data) throws Exception {
    SquadV2Benchmark.Split which;
    try {
      which = SquadV2Benchmark.Split.valueOf(split.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--split must be tune, report or all, got '" + split + "'");
    }
    if (fitTo != null && which != SquadV2Benchmark.Split.TUNE) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--fit-answerability fits on the tuning articles only: add --split tune (the report articles are never used to choose anything)");
    }
    var bench = new SquadV2Benchmark(data, which, seed, answerableV2, sameParagraph, offTopic);
    boolean extractive = cfg.answerModel().equals("extractive");
    try (BenchWorkspace w = BenchWorkspace.open(project.root(), "squad2-" + split, cfg, cfg.chunking(), false);
        Project models = Project.open(project.root(), cfg, false);
        Progress progress = new Progress(Main.err(spec), "embed+index", "paragraphs")) {
      // the answerer records its answerability score and never refuses for it: the threshold is applied after, for every point of the curve
      ExtractiveAnswerer scoring = extractive ? w.extractiveAnswerer(0.0) : null;
      var answerer = extractive ? scoring : models.answerer(null);
      AskPipeline ask = new AskPipeline(w.retriever(cfg.retrieval()), answerer, cfg.models().prices(), w.embedderName());
      if (fitTo != null) {
        if (!extractive) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--fit-answerability fits the extractive answerer's check: leave out --model");
        var fit = bench.fit(w.pipeline(progress), ask, scoring, w.answerability(), kk, keepShare, 0.01);
        java.nio.file.Files.writeString(fitTo, fit.model().write(fit.description()));
        if (featuresOut != null) java.nio.file.Files.writeString(featuresOut, fit.rowsTsv());
        PrintWriter out = spec.commandLine().getOut();
        out.println(fit.description());
        out.printf("wrote %s; to use it as the default, copy it over the shipped model and set answer.min_answerability: %.2f%n", fitTo, fit.threshold());
        return Main.OK;
      }
      double threshold = extractive ? cfg.minAnswerability() : 0;
      var r = bench.run(w.pipeline(progress), ask, kk, threshold);
      SquadReport.print(r, spec.commandLine().getOut());
      if (html != null) {
        java.nio.file.Files.writeString(html, SquadReport.html(r));
        Main.err(spec).println("wrote " + html);
      }
      if (json) spec.commandLine().getOut().println(Json.compact(json(r)));
    }
    return Main.OK;
  }

  static Map<String, Object> json(SquadV2Benchmark.Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("articles", r.articles());
    m.put("paragraphs", r.paragraphs());
    m.put("answerable", r.answerable());
    m.put("unanswerable_same_paragraph", r.unanswerable());
    m.put("off_topic", r.offTopic());
    m.put("k", r.k());
    m.put("min_answerability", r.threshold());
    m.put("false_answer_rate_same_paragraph", Json.round(r.falseSameParagraph()));
    m.put("false_answer_rate_off_topic", r.offTopic() > 0 ? Json.round(r.falseOffTopic()) : null);
    m.put("plausible_answer_rate", Json.round(r.plausibleRate()));
    m.put("containment", Json.round(r.containment()));
    m.put("over_refusal", Json.round(r.overRefusal()));
    m.put("citation_accuracy", Json.round(r.citationAccuracy()));
    m.put("has_ans_exact", Json.round(r.hasAnsExact()));
    m.put("has_ans_f1", Json.round(r.hasAnsF1()));
    m.put("no_ans_accuracy", Json.round(r.noAnsAccuracy()));
    m.put("exact", Json.round(r.exact()));
    m.put("f1", Json.round(r.f1()));
    java.util.List<Map<String, Object>> curve = new java.util.ArrayList<>();
    for (SquadV2Benchmark.Point p : r.curve()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("threshold", p.threshold());
      c.put("containment", Json.round(p.containment()));
      c.put("false_answer_rate_same_paragraph", Json.round(p.falseSameParagraph()));
      c.put("false_answer_rate_off_topic", r.offTopic() > 0 ? Json.round(p.falseOffTopic()) : null);
      c.put("over_refusal", Json.round(p.overRefusal()));
      curve.add(c);
    }
    m.put("curve", curve);
    m.put("p50_ms", Json.round(r.p50Ms()));
    m.put("seconds", Json.round(r.seconds()));
    return m;
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
