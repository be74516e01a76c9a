package dev.groundwork.cli;

import dev.groundwork.core.Answer;
import dev.groundwork.core.Citation;
import dev.groundwork.core.answer.AskPipeline;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "ask", mixinStandardHelpOptions = true, description = {
    "Answer a question from the indexed documents, with numbered citations.", "",
    "The default answerer is extractive (offline, no LLM): it quotes the sentences that best answer",
    "the question and cites each; when the evidence is too weak it says the documents do not contain",
    "the answer instead of guessing.", "",
    "Example:",
    "  $ groundwork ask \"How many attempts does a job get before the dead-letter queue?\"",
    "  By default a job gets 5 attempts in total; after the fifth failed attempt it is moved to the",
    "  dead-letter queue. [1] ...",
    "",
    "    [1] docs/concepts/jobs-and-retries.md  Jobs and retries > Retries",
    "        \"By default a job gets 5 attempts in total; after the fifth failed attempt it is ...\"",
    "    (extractive, 8 chunks, 41 ms, $0.000000)"})
final class AskCommand implements Callable<Integer> {
  @Mixin ProjectOption project;

  @Mixin RetrievalFlags flags;

  @Parameters(index = "0", paramLabel = "QUESTION", description = "The question.")
  String question;

  @Option(names = "--k", paramLabel = "N", description = "Chunks to retrieve, 1..50 (default: retrieval.k, 8).")
  Integer k;

  @Option(names = "--json", description = "Print one JSON document on stdout: answer, citations, retrieved, model, usage, cost_usd, latency_ms.")
  boolean json;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (Project p = Project.open(project.root(), false)) {
      int kk = k != null ? k : p.config().k();
      if (kk < 1 || kk > AskPipeline.MAX_K) throw new IllegalArgumentException("--k must be in 1.." + AskPipeline.MAX_K + ", got " + kk);
      SearchCommand.requireIndex(p);
      Answer a = p.askPipeline(flags.apply(p.config().retrieval())).ask(question, kk, flags.filter());
      PrintWriter out = spec.commandLine().getOut();
      if (json) out.println(Json.write(Json.answer(question, a)));
      else print(a, out);
      return Main.OK;
    }
  }

  static void print(Answer a, PrintWriter out) {
    out.println(a.text());
    if (!a.citations().isEmpty()) out.println();
    for (Citation c : a.citations()) {
      out.printf("  [%d] %s%n", c.n(), Format.location(c.source(), c.heading(), c.page()));
      out.printf("      \"%s\"%n", Format.snippet(c.text(), 200));
    }
    out.printf("  (%s, %d chunks, %d ms, %s)%n", a.model(), a.retrieved().size(), a.latencyMs(),
        a.costUsd() == null ? "cost unknown" : String.format("$%.6f", a.costUsd()));
  }
}
