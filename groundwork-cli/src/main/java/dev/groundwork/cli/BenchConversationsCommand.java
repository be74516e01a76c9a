package dev.groundwork.cli;

import dev.groundwork.app.BadInputException;
import dev.groundwork.app.Conversations;
import dev.groundwork.app.Json;
import dev.groundwork.app.Project;
import dev.groundwork.app.ProjectEvals;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "conversations", mixinStandardHelpOptions = true, description = {
    "Retrieval recall of follow-up questions with and without making them standalone. For each suite case",
    "given as a conversation (messages:) that names the sources it needs (expected_sources, or",
    "retrieved-source values), the share of those sources in the top --k retrieved for the follow-up as",
    "asked, as the offline rule rewrites it, and as answer.rewrite_model does when one is configured.",
    "Nothing is answered.", "",
    "Example (the demo project):",
    "  $ groundwork bench conversations conversations/followups.yaml",
    "  follow-up retrieval, 12 conversations, top 3",
    "  method                    recall@3   all found",
    "  as asked                    0.7500     9 of 12",
    "  rule                        1.0000    12 of 12"})
final class BenchConversationsCommand implements Callable<Integer> {
  @Mixin ProjectOption project;

  @Parameters(paramLabel = "SUITE", arity = "1..*", description = "Suite files or folders with conversation cases.")
  List<Path> suites;

  @Option(names = "--k", defaultValue = "3", description = {"Chunks retrieved per question (default: ${DEFAULT-VALUE}; on a corpus as small as the demo's,", "the top 8 hold nearly everything whatever the query)."})
  int k;

  @Option(names = "--json", description = "Also print one JSON object as the last thing on stdout.")
  boolean json;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (k < 1 || k > 100) throw new BadInputException("--k must be in 1..100, got " + k);
    try (Project p = Project.open(project.root(), false)) {
      List<Conversations.Recall> rows = Conversations.followUpRecall(p, ProjectEvals.load(p, suites), k);
      PrintWriter out = spec.commandLine().getOut();
      out.printf("follow-up retrieval, %d conversations, top %d%n", rows.get(0).cases(), k);
      out.printf("%-24s %9s %11s%n", "method", "recall@" + k, "all found");
      List<Map<String, Object>> js = new ArrayList<>();
      for (Conversations.Recall r : rows) {
        out.printf("%-24s %9.4f %11s%n", r.method(), r.recall(), r.fullyFound() + " of " + r.cases());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", r.method());
        m.put("recall", Json.round(r.recall()));
        m.put("all_found", r.fullyFound());
        js.add(m);
      }
      if (json) out.println(Json.compact(Map.of("k", k, "cases", rows.get(0).cases(), "methods", js)));
      return Main.OK;
    }
  }
}
