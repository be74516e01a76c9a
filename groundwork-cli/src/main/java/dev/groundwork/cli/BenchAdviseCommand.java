package dev.groundwork.cli;

import dev.groundwork.app.Json;
import dev.groundwork.app.Project;
import dev.groundwork.bench.AdviseBenchmark;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "advise", mixinStandardHelpOptions = true, description = {
    "How often `groundwork advise` names the right primary symptom, on labelled scenario projects (folders",
    "with a scenario.yaml naming their family and primary cause; the repository's 24 are in",
    "groundwork-cli/src/test/resources/advisor-scenarios, written by tools/MakeAdvisorScenarios.java).",
    "Each is copied to a work folder, ingested, given its recorded traffic, evaluated offline and advised",
    "on, and its first tries are run (as `advise --try`, nothing applied). Prints one line per scenario,",
    "the accuracy per family and overall, then how many of the cases each recommended try targeted it fixed.", "",
    "Example:",
    "  $ groundwork bench advise --scenarios groundwork-cli/src/test/resources/advisor-scenarios",
    "  01-missing-knowledge-1      missing-knowledge  -> missing-knowledge  ok",
    "  ...",
    "  FAMILY                SCENARIOS  RIGHT  ACCURACY",
    "  missing-knowledge             3      3    100.0%  ########################################",
    "  all                          24     24    100.0%  ########################################"})
final class BenchAdviseCommand implements Callable<Integer> {
  @Option(names = "--scenarios", required = true, paramLabel = "DIR", description = "The folder of scenario projects.")
  Path scenarios;

  @Option(names = "--work", paramLabel = "DIR", description = "Where the scenarios are copied and run (default: a temporary folder, removed after).")
  Path work;

  @Option(names = "--json", description = "Also print one JSON object as the last thing on stdout.")
  boolean json;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = work != null ? work : Files.createTempDirectory("groundwork-advise-bench");
    List<AdviseBenchmark.Outcome> outcomes;
    int total = AdviseBenchmark.scenarios(scenarios).size();
    try (Progress progress = new Progress(Main.err(spec), "advise", "scenarios")) {
      progress.started(total);
      int[] done = {0};
      outcomes = AdviseBenchmark.runAll(scenarios, dir, Clock.systemUTC(), o -> {
        out.printf("%-28s %-18s -> %-18s %s%n", o.scenario(), o.expected(), o.named(), o.right() ? "ok" : "WRONG (named: " + String.join(", ", o.symptoms()) + ")");
        out.flush();
        progress.progressed(++done[0], o.scenario());
      });
    } finally {
      if (work == null) Project.deleteTree(dir);
    }
    List<AdviseBenchmark.Tally> tally = AdviseBenchmark.tally(outcomes);
    out.printf("%n%-22s %9s %6s %9s%n", "FAMILY", "SCENARIOS", "RIGHT", "ACCURACY");
    for (AdviseBenchmark.Tally t : tally) {
      out.printf(Locale.ROOT, "%-22s %9d %6d %8.1f%%  %s%n", t.family(), t.scenarios(), t.right(), 100 * t.accuracy(), "#".repeat((int) Math.round(40 * t.accuracy())));
    }
    AdviseBenchmark.Tries tries = AdviseBenchmark.tries(outcomes);
    out.printf(Locale.ROOT, "%nfirst tries (advise --try): %d run, %d recommended; the recommended ones fixed %d of the %d cases they targeted (%.1f%%);"
        + " all tries, recommended or not, %d of %d%n", tries.run(), tries.recommended(), tries.fixed(), tries.targeted(), 100 * tries.fixRate(),
        tries.fixedByAll(), tries.targetedByAll());
    for (AdviseBenchmark.Outcome o : outcomes) {
      if (o.recommended() != null) out.printf("  %-28s %s: fixed %d of %d%n", o.scenario(), o.recommended(), o.fixed(), o.targeted());
      else if (o.tries() > 0) out.printf("  %-28s %d tried, none recommended (none raised the pass rate without a critical regression)%n", o.scenario(), o.tries());
    }
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("fix_rate", tries.fixRate());
      m.put("tries", tries.run());
      m.put("recommended", tries.recommended());
      m.put("scenarios", outcomes);
      m.put("families", tally.stream().map(t -> Map.of("family", t.family(), "scenarios", t.scenarios(), "right", t.right(), "accuracy", t.accuracy())).toList());
      m.put("primary_accuracy", tally.get(tally.size() - 1).accuracy());
      out.println(Json.compact(m));
    }
    return Main.OK;
  }
}
