package dev.groundwork.cli;

import dev.groundwork.app.Project;
import dev.groundwork.app.ProjectConfig;
import dev.groundwork.app.ProjectEvals;
import dev.groundwork.core.Answer;
import dev.groundwork.core.ingest.IngestReport;
import dev.groundwork.core.spi.Filter;
import dev.groundwork.eval.EvalRun;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true, description = {
    "Set up a demo project on a sample corpus, ingest it, ask questions and run its suite.", "",
    "Writes groundwork.yaml into DIR, copies a sample corpus",
    "(the docs of Tidewater, a fictional job queue: Markdown, HTML, text and PDF) into DIR/docs,",
    "ingests it, asks questions (one of which the corpus cannot answer), and runs the corpus's",
    "regression suite (DIR/suites/tidewater.yaml). Its groundwork.yaml defines a route, support",
    "(extractive first, openai:gpt-4.1-mini for what fails its checks); with OPENAI_API_KEY (or",
    "OPENAI_BASE_URL) set, the suite also runs through it, with the share each model answered and the cost.",
    "Afterwards `groundwork search` and `groundwork ask` work in DIR.", "",
    "Example:",
    "  $ groundwork demo /tmp/gw-demo",
    "  ...",
    "  Q: What is the default visibility timeout?",
    "  The default visibility timeout is 30 seconds. [1]"})
final class DemoCommand implements Callable<Integer> {
  /** The questions the demo asks; the last one is not answered by the corpus. */
  static final List<String> QUESTIONS = List.of(
      "What is the default visibility timeout?",
      "How do I install Tidewater on Linux?",
      "How many retries does a job get before it goes to the dead-letter queue?",
      "How much does the Business plan cost per month?",
      "Which port does the admin dashboard listen on?",
      "What is the boiling point of mercury?");

  /** The demo's route, added to the groundwork.yaml it writes. */
  static final String ROUTE = """

      # The demo's route: the offline extractive answerer first, a language model for the questions it
      # cannot answer well (see "Routes" in the README). `groundwork demo` runs the suite through it
      # when the model can be reached: OPENAI_API_KEY, or OPENAI_BASE_URL for a compatible server.
      routes:
        support:
          models: [extractive, "openai:gpt-4.1-mini"]
          policy: cascade
      """;

  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
      description = "Folder to set up (default: the current directory, or ./demo when that is the Groundwork source tree).")
  Path dir;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Path root = (dir != null ? dir : defaultDir(Path.of(System.getProperty("user.dir")))).toAbsolutePath().normalize();
    PrintWriter out = spec.commandLine().getOut();
    Files.createDirectories(root);
    Path yaml = root.resolve(ProjectConfig.FILE);
    if (!Files.exists(yaml)) {
      Files.writeString(yaml, ProjectConfig.template() + ROUTE);
      out.println("wrote " + yaml);
    } else {
      out.println("using the existing " + yaml);
    }
    int copied = copyCorpus(root.resolve("docs"));
    out.println("sample corpus: " + copied + " files in " + root.resolve("docs"));
    Path suite = root.resolve("suites").resolve("tidewater.yaml");
    copyResource("/demo/suites/tidewater.yaml", suite);
    // follow-up questions (multi-turn cases), kept apart from suites/ so the demo's own run stays the 57 cases
    copyResource("/demo/conversations/followups.yaml", root.resolve("conversations").resolve("followups.yaml"));
    try (Project p = Project.open(root, true)) {
      IngestReport r;
      try (Progress progress = new Progress(Main.err(spec), "ingest", "files")) {
        r = p.ingestPipeline(progress).ingestPaths(p.config().sources());
      }
      IngestCommand.print(r, out, false);
      var ask = p.askPipeline(p.config().retrieval());
      for (String q : QUESTIONS) {
        out.println();
        out.println("Q: " + q);
        Answer a = ask.ask(q, p.config().k(), Filter.NONE);
        AskCommand.print(a, out);
      }
      out.println();
      out.println("Running the regression suite " + root.relativize(suite) + " (groundwork eval):");
      List<EvalRun> runs = ProjectEvals.run(p, ProjectEvals.load(p, List.of(suite)), null, null, 1, 1, false,
          name -> new Progress(Main.err(spec), name, "cases"), () -> false);
      for (EvalRun run : runs) ProjectEvals.printConsole(run, out);
      runRoute(p, suite, root, out);
      out.println();
      out.println("Next: groundwork ask -C " + root + " \"your question\"   (or: groundwork search -C " + root + " \"some words\")");
      if (!runs.stream().allMatch(EvalRun::succeeded)) return Main.FAILED_CHECKS;
      return r.skipped().isEmpty() ? Main.OK : Main.PARTIAL;
    }
  }

  /**
   * The suite again through the route {@code support}, when its language model can be reached: how
   * many answers each model gave, how many escalated, and what they cost.
   */
  private void runRoute(Project p, Path suite, Path root, PrintWriter out) throws IOException {
    var route = p.config().models().routes().get("support");
    if (route == null) return;
    String strong = route.models().get(route.models().size() - 1);
    out.println();
    if (!p.canCall(route)) {
      out.println("Route support (" + String.join(" -> ", route.models()) + "): set OPENAI_API_KEY (or OPENAI_BASE_URL) and the demo also runs");
      out.println("the suite through it; or run: groundwork eval -C " + root + " --model route:support");
      return;
    }
    out.println("Running the suite through route:support (" + String.join(" -> ", route.models()) + "):");
    try (Project routed = p.withConfig(p.config().withModels(p.config().models().override("route:support", List.of(), null, null)))) {
      List<EvalRun> runs = ProjectEvals.run(routed, ProjectEvals.load(routed, List.of(suite)), null, null, 1, 1, true,
          name -> new Progress(Main.err(spec), name, "cases"), () -> false);
      for (EvalRun run : runs) printRouteSummary(run, strong, out);
    }
  }

  /** Pass rate, the share each model answered, escalations and cost of a run through a route. */
  static void printRouteSummary(EvalRun run, String strong, PrintWriter out) {
    int n = run.cases().size();
    long passed = run.cases().stream().filter(c -> c.passed()).count();
    java.util.Map<String, Long> byModel = new java.util.TreeMap<>();
    long escalated = 0;
    double cost = 0;
    boolean unknown = false;
    for (var c : run.cases()) {
      byModel.merge(c.model() == null ? "(failed)" : c.model(), 1L, Long::sum);
      if (Boolean.TRUE.equals(c.escalated())) escalated++;
      if (c.costUsd() == null) unknown = true;
      else cost += c.costUsd();
    }
    out.printf(java.util.Locale.ROOT, "  pass rate %.1f%% (%d/%d); escalated %d of %d (%.1f%%)%n", 100.0 * passed / n, passed, n, escalated, n,
        100.0 * escalated / n);
    for (var e : byModel.entrySet()) {
      out.printf(java.util.Locale.ROOT, "  answered by %-24s %3d  %5.1f%%  %s%n", e.getKey(), e.getValue(), 100.0 * e.getValue() / n,
          "#".repeat((int) Math.round(40.0 * e.getValue() / n)));
    }
    out.println(unknown ? "  cost: unknown (a model without a price)"
        : String.format(java.util.Locale.ROOT, "  cost $%.6f in all, $%.6f per question (%s only for the escalated ones)", cost, cost / n, strong));
  }

  /** The current directory, except in Groundwork's own source tree, where the demo goes to ./demo (ignored by git). */
  static Path defaultDir(Path cwd) {
    return Files.isRegularFile(cwd.resolve("groundwork-cli/pom.xml")) ? cwd.resolve("demo") : cwd;
  }

  /** Copies the bundled corpus (listed in demo/files.txt) into {@code docs}; returns the number of files. */
  static int copyCorpus(Path docs) throws IOException {
    List<String> files = corpusFiles();
    for (String f : files) copyResource("/demo/corpus/" + f, docs.resolve(f));
    return files.size();
  }

  /** Writes a bundled resource to {@code target} unless it already holds the same bytes. */
  static void copyResource(String resource, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    try (InputStream in = DemoCommand.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("demo file missing from the jar: " + resource);
      byte[] bytes = in.readAllBytes();
      if (!Files.exists(target) || !Arrays.equals(Files.readAllBytes(target), bytes)) Files.write(target, bytes);
    }
  }

  static List<String> corpusFiles() throws IOException {
    List<String> out = new ArrayList<>();
    try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/files.txt");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) if (!line.isBlank()) out.add(line.strip());
    }
    return out;
  }
}
