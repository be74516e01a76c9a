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
    "  note: don't fine-tune for facts: 3 of 3 failures are about knowledge ..."})
final class AdviseCommand implements Callable<Integer> {
  @Mixin ProjectOption project;

  @Option(names = "--run", paramLabel = "RUN", description = "The eval run to read: an id in .groundwork/runs/ or a file (default: the newest).")
  String run;

  @Option(names = "--p95-ms", paramLabel = "MS", description = "The latency target for the logged traffic's p95 (default: 3000).")
  Long p95;

  @Option(names = "--json", description = "Print {\"run\", \"symptoms\": [{\"symptom\", \"share\", \"cases\", \"evidence\", \"first_try\", \"fallback\", \"command\"}], ...}.")
  boolean json;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (p95 != null && p95 < 1) throw new IllegalArgumentException("--p95-ms must be >= 1, got " + p95);
    Advisor.Advice a;
    try (Project p = Project.open(project.root(), false)) {
      a = Advising.advise(p, run, p95, Clock.systemUTC());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(toJson(a)));
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
    return Main.OK;
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
