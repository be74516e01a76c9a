package dev.groundwork.cli;

import dev.groundwork.advisor.Advisor;
import dev.groundwork.app.Advising;
import dev.groundwork.app.Json;
import dev.groundwork.app.Project;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "advise", mixinStandardHelpOptions = true, description = {
    "Name what the failures are about and the fix to try first; --try runs it and measures it.", "",
    "Reads the latest eval run (or --run), the query log's last 30 days, the index and the budgets, and",
    "names what the failures are about, strongest first: hallucination, retrieval-miss, missing-knowledge,",
    "format, tone, long-documents, over-refusal, cost, latency. For each: the share and the cases, the",
    "evidence, the first try and the fallback from the decision matrix, and the command that starts it.",
    "Each failed case gets one cause, by rules listed in the README; cases no rule explains are listed.", "",
    "Example:",
    "  $ groundwork advise",
    "  run 20261203-152512-318-lumen (8 cases, 6 failed)",
    "  SYMPTOM            SHARE  CASES  FIRST TRY",
    "  missing-knowledge  37.5%      3  add the documents that answer it (or a web source for recent facts); ...",
    "    evidence: c1: \"7 days\" is in no document; c2: ...",
    "    fallback: a live web source (web: in groundwork.yaml)",
    "    run:      groundwork ingest PATH...",
    "  note: don't fine-tune for facts: 3 of 3 failures are about knowledge ...",
    "  $ groundwork advise --try --apply",
    "  ...",
    "  try retrieval-miss   retrieval.k 1 -> 8",
    "      pass rate 62.5% -> 100.0%; fixed 3 of 3 targeted (c1, c2, c3); newly failing none; McNemar p = 0.250; run ...",
    "      RECOMMENDED",
    "  applied as config-20261203-160102-1a2b3c4d: promoted (undo: groundwork versions rollback config)"})
final class AdviseCommand implements Callable<Integer> {
  @Mixin ProjectOption project;

  @Option(names = "--run", paramLabel = "RUN", description = "The eval run to read: an id in .groundwork/runs/ or a file (default: the newest).")
  String run;

  @Option(names = "--p95-ms", paramLabel = "MS", description = "The latency target for the logged traffic's p95 (default: 3000).")
  Long p95;

  @Option(names = "--try", description = {"Also run the first tries as experiments on a copy of groundwork.yaml (and of the prompt file):",
      "k, auto-merge, refusal thresholds; with a language model the JSON Schema or format in the prompt, the",
      "style guide (examples/style.md) and worked examples (examples/*.yaml, rated-up answers); the project's",
      "routes for cost and latency; --web-search for missing knowledge. Each is compared with the run case by",
      "case; recommended: the one that raises the pass rate most without newly failing a case tagged critical,",
      "else a route that saves 10% or more per case at the same pass rate."})
  boolean tryFirst;

  @Option(names = "--apply", description = {"With --try: store the recommended change as a version and promote it (its gate runs the suites):",
      "a prompt version when it changes the prompt file (prompts.file), else a config version;",
      "`versions rollback prompt` or `versions rollback config` undoes it."})
  boolean apply;

  @Option(names = "--web-search", paramLabel = "URL", description = "With --try: a SearXNG instance whose web search a missing-knowledge try consults.")
  String webSearch;

  @Option(names = "--max-cost", paramLabel = "USD", description = {"With --try: the most the experiments may spend; tries run, strongest symptom first,",
      "while their estimated cost (the baseline run's own cost per suite run) fits."})
  Double maxCost;

  @Option(names = "--json", description = "Print {\"run\", \"symptoms\": [{\"symptom\", \"share\", \"cases\", \"evidence\", \"first_try\", \"fallback\", \"command\"}], ...}.")
  boolean json;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (p95 != null && p95 < 1) throw new IllegalArgumentException("--p95-ms must be >= 1, got " + p95);
    if (apply && !tryFirst) throw new dev.groundwork.app.BadInputException("--apply applies what --try recommends: add --try");
    if (maxCost != null && !tryFirst) throw new dev.groundwork.app.BadInputException("--max-cost caps what --try spends: add --try");
    if (webSearch != null && !tryFirst) throw new dev.groundwork.app.BadInputException("--web-search is the web search --try tries: add --try");
    Advisor.Advice a;
    Advising.Tried tried = null;
    try (Project p = Project.open(project.root(), false)) {
      if (tryFirst) {
        java.io.PrintStream err = Main.err(spec);
        tried = Advising.tryFirst(p, run, p95, apply, maxCost, webSearch, line -> err.println("groundwork: " + line), Clock.systemUTC());
        a = tried.advice();
      } else {
        a = Advising.advise(p, run, p95, Clock.systemUTC());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = toJson(a);
      if (tried != null) m.putAll(triedJson(tried));
      out.println(Json.write(m));
      return Main.OK;
    }
    out.println(a.run() == null ? "no eval run (run `groundwork eval` for the suite's symptoms); traffic only"
        : "run " + a.run() + " (" + a.cases() + " cases, " + a.failed() + " failed)");
    if (a.symptoms().isEmpty()) out.println("no symptoms: every case passed and the traffic is within its targets");
    else out.printf("%-18s %6s %6s  %s%n", "SYMPTOM", "SHARE", "CASES", "FIRST TRY");
    for (Advisor.Symptom s : a.symptoms()) {
      out.printf(Locale.ROOT, "%-18s %5.1f%% %6s  %s%n", s.symptom(), 100 * s.share(), s.cases().isEmpty() ? "-" : String.valueOf(s.count()), s.firstTry());
      out.println("    evidence: " + s.evidence());
      out.println("    fallback: " + s.fallback());
      out.println("    run:      " + s.command());
    }
    if (!a.unexplained().isEmpty()) out.println("failed for no reason the advisor knows: " + String.join(", ", a.unexplained()));
    for (String n : a.notes()) out.println("note: " + n);
    if (tried != null) printTried(out, tried);
    return Main.OK;
  }

  private static void printTried(PrintWriter out, Advising.Tried t) {
    out.println();
    if (t.results().isEmpty()) out.println("nothing to try: no symptom has a first try that is a configuration or prompt change");
    for (var r : t.results()) {
      var e = r.experiment();
      out.printf(Locale.ROOT, "try %-16s %s%n", e.symptom(), e.description());
      out.printf(Locale.ROOT, "    pass rate %.1f%% -> %.1f%%; fixed %d of %d targeted%s; newly failing %s; McNemar p = %.3g; run %s%n", 100 * r.passBefore(),
          100 * r.passAfter(), r.fixed().size(), e.targets().size(), r.fixed().isEmpty() ? "" : " (" + String.join(", ", r.fixed()) + ")",
          r.broken().isEmpty() ? "none" : String.join(", ", r.broken()) + (r.criticalBroken().isEmpty() ? "" : " (critical: " + String.join(", ", r.criticalBroken()) + ")"),
          r.mcnemarP(), r.run());
      out.printf(Locale.ROOT, "    per case: %.0f -> %.0f ms%s%n", r.msPerCaseBefore(), r.msPerCaseAfter(), r.usdPerCaseBefore() == null || r.usdPerCaseAfter() == null ? ""
          : String.format(Locale.ROOT, ", $%.6f -> $%.6f", r.usdPerCaseBefore(), r.usdPerCaseAfter()));
      out.println(r.recommended() ? "    RECOMMENDED" + (t.applied() == null ? " (apply it with --try --apply)" : "") : "    not recommended");
    }
    t.notRun().forEach((symptom, why) -> out.println("not tried: " + symptom + ": " + why));
    if (t.budget() != null && t.budget().run() > 0) out.printf(Locale.ROOT, "the tries spent $%.4f%n", t.budget().spentUsd());
    if (t.applied() != null) {
      out.println("applied as " + t.applied().id() + ": " + (t.promotion().promoted() ? "promoted (undo: groundwork versions rollback " + t.applied().kind() + ")"
          : "stored, not promoted: " + t.promotion().verdict().reason()));
    }
  }

  static Map<String, Object> triedJson(Advising.Tried t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tries", t.results().stream().map(r -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("symptom", r.experiment().symptom());
      x.put("change", r.experiment().overrides());
      x.put("description", r.experiment().description());
      x.put("run", r.run());
      x.put("pass_rate_before", r.passBefore());
      x.put("pass_rate_after", r.passAfter());
      x.put("targeted", r.experiment().targets());
      x.put("fixed", r.fixed());
      x.put("newly_failing", r.broken());
      x.put("critical_regressions", r.criticalBroken());
      x.put("mcnemar_p", r.mcnemarP());
      x.put("usd_per_case_before", r.usdPerCaseBefore());
      x.put("usd_per_case_after", r.usdPerCaseAfter());
      x.put("ms_per_case_before", r.msPerCaseBefore());
      x.put("ms_per_case_after", r.msPerCaseAfter());
      x.put("recommended", r.recommended());
      return x;
    }).toList());
    m.put("not_tried", t.notRun());
    if (t.budget() != null) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("tries", t.budget().tries());
      b.put("usd_per_run", t.budget().usdPerRun());
      b.put("estimate_usd", t.budget().estimateUsd());
      b.put("max_usd", t.budget().maxUsd());
      b.put("run", t.budget().run());
      b.put("spent_usd", t.budget().spentUsd());
      m.put("budget", b);
    }
    if (t.applied() != null) {
      m.put("applied", Map.of("version", t.applied().id(), "promoted", t.promotion().promoted(), "gate", t.promotion().verdict().reason()));
    }
    return m;
  }

  static Map<String, Object> toJson(Advisor.Advice a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run", a.run());
    m.put("cases", a.cases());
    m.put("failed", a.failed());
    m.put("symptoms", a.symptoms().stream().map(s -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("symptom", s.symptom());
      x.put("share", s.share());
      x.put("count", s.count());
      x.put("cases", s.cases());
      x.put("evidence", s.evidence());
      x.put("first_try", s.firstTry());
      x.put("fallback", s.fallback());
      x.put("command", s.command());
      return x;
    }).toList());
    m.put("unexplained", a.unexplained());
    m.put("notes", a.notes());
    return m;
  }
}
