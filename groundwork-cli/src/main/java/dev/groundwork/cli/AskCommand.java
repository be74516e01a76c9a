package dev.groundwork.cli;

import dev.groundwork.app.Groundwork;
import dev.groundwork.app.Json;
import dev.groundwork.app.ProjectConfig;
import dev.groundwork.app.Requests;
import dev.groundwork.app.Schemas;
import dev.groundwork.core.Answer;
import dev.groundwork.core.Citation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "ask", mixinStandardHelpOptions = true, description = {
    "Answer a question from the indexed documents, with numbered citations.", "",
    "The default answerer is extractive (offline, no LLM): it quotes the sentences that best answer",
    "the question and cites each; when the evidence is too weak it says the documents do not contain",
    "the answer instead of guessing. With --model a language model writes the answer from the numbered",
    "sources; [n] markers that point nowhere are removed and reported, and the cost of every step is",
    "recorded (--json shows it).", "",
    "Example:",
    "  $ groundwork ask \"How many attempts does a job get before the dead-letter queue?\"",
    "  By default a job gets 5 attempts in total; after the fifth failed attempt it is moved to the",
    "  dead-letter queue. [1] ...",
    "",
    "    [1] docs/concepts/jobs-and-retries.md  Jobs and retries > Retries",
    "        \"By default a job gets 5 attempts in total; after the fifth failed attempt it is ...\"",
    "    (extractive, 8 chunks, 41 ms, $0.000000)",
    "",
    "  $ OPENAI_API_KEY=... groundwork ask --model openai:gpt-4.1-mini --stream \"How do retries work?\"",
    "  $ groundwork ask --model llamacpp:qwen2.5-0.5b-instruct \"...\"     (after: groundwork models pull qwen2.5-0.5b-instruct)",
    "  $ groundwork ask --model openai:llama3.2 --base-url http://localhost:11434/v1 \"...\"   (Ollama)"})
final class AskCommand implements Callable<Integer> {
  @Mixin ProjectOption project;

  @Mixin RetrievalFlags flags;

  @Mixin ModelFlags modelFlags;

  @Parameters(index = "0", paramLabel = "QUESTION", description = "The question.")
  String question;

  @Option(names = "--k", paramLabel = "N", description = "Chunks to retrieve, 1..50 (default: retrieval.k, 8).")
  Integer k;

  @Option(names = "--stream", description = "Print the answer as the model writes it, then the sources.")
  boolean stream;

  @Option(names = "--schema", paramLabel = "FILE.json", description = {
      "Ask for JSON matching this JSON Schema; the reply is validated, retried once with the errors,",
      "and the command fails when it still does not match. Needs --model."})
  Path schema;

  @Option(names = "--json", description = {
      "Print one JSON document on stdout: answer, citations, retrieved, model, usage, cost_usd,",
      "latency_ms, steps (tokens and cost per step), prompt_version and generation details."})
  boolean json;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (stream && json) throw new IllegalArgumentException("--stream and --json cannot be combined: --json prints one document at the end");
    String schemaText = schema == null ? null : Schemas.read(schema, "--schema");
    ProjectConfig cfg = modelFlags.config(project);
    try (Groundwork gw = Groundwork.open(project.root(), cfg, false)) {
      PrintWriter out = spec.commandLine().getOut();
      Consumer<String> onToken = !stream ? null : t -> {
        out.print(t);
        out.flush();
      };
      Answer a = gw.ask(new Requests.Ask(question, k, flags.request(), null, schemaText, onToken));
      if (stream) {
        out.println();
        printSources(a, out);
      } else if (json) {
        out.println(Json.write(Json.answer(question, a)));
      } else {
        print(a, out);
      }
      return Main.OK;
    }
  }

  static void print(Answer a, PrintWriter out) {
    out.println(a.text());
    printSources(a, out);
  }

  static void printSources(Answer a, PrintWriter out) {
    if (!a.citations().isEmpty()) out.println();
    for (Citation c : a.citations()) {
      out.printf("  [%d] %s%n", c.n(), Format.location(c.source(), c.heading(), c.page()));
      out.printf("      \"%s\"%n", Format.snippet(c.text(), 200));
    }
    var g = a.generation();
    if (g != null && !g.invalidCitations().isEmpty()) out.printf("  (removed citations that point at no source: %s)%n", g.invalidCitations());
    if (g != null && g.fallback()) out.printf("  (answered by %s after: %s)%n", g.answeredBy(), String.join("; ", g.failures()));
    boolean estimated = a.steps().stream().anyMatch(st -> st.usage().estimated());
    out.printf("  (%s, %d chunks, %d ms, %s%s)%n", a.model(), a.retrieved().size(), a.latencyMs(),
        a.costUsd() == null ? "cost unknown" : String.format("$%.6f", a.costUsd()), estimated ? ", tokens estimated" : "");
  }
}
