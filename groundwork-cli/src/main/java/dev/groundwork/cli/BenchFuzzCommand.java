package dev.groundwork.cli;

import dev.groundwork.app.BadInputException;
import dev.groundwork.app.Json;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "fuzz", mixinStandardHelpOptions = true, description = {
    "Fuzzes what Groundwork reads from outside, with Jazzer (coverage-guided, libFuzzer inside): chat and",
    "ask request bodies (JSON parsing, the strict schema checks, message reading), suite files,",
    "groundwork.yaml, and each document loader (text, Markdown, HTML, PDF). A target passes when every",
    "input ends in a result or in the clear error meant for bad input; anything else is a finding, and",
    "the input that caused it is kept beside the target's seeds to replay as a test.", "",
    "Each target runs in its own JVM (Jazzer fuzzes one per process) for --seconds, through the fuzz",
    "tests of a source checkout (./mvnw; the seeds are committed there). CI runs it with --seconds 10.",
    "Exit 1 when any target has a finding.", "",
    "Example:",
    "  $ groundwork bench fuzz --seconds 60",
    "  target                     seconds       inputs   inputs/s  corpus  findings",
    "  request: chat                   61    2,871,342     47,071      91         0",
    "  ...",
    "  loader: pdf                     60       58,310        971      29         0"})
final class BenchFuzzCommand implements Callable<Integer> {
  /** A fuzz test: its module, class, method and the name the table shows. */
  record Target(String name, String module, String test) {}

  static final List<Target> TARGETS = List.of(
      new Target("request: chat", "groundwork-server", "RequestFuzzTest#chatRequest"),
      new Target("request: ask", "groundwork-server", "RequestFuzzTest#askRequest"),
      new Target("suite file", "groundwork-eval", "SuiteFuzzTest#suiteFile"),
      new Target("groundwork.yaml", "groundwork-app", "ConfigFuzzTest#configFile"),
      new Target("loader: text", "groundwork-ingest", "LoaderFuzzTest#text"),
      new Target("loader: markdown", "groundwork-ingest", "LoaderFuzzTest#markdown"),
      new Target("loader: html", "groundwork-ingest", "LoaderFuzzTest#html"),
      new Target("loader: pdf", "groundwork-ingest", "LoaderFuzzTest#pdf"));

  private static final Pattern DONE = Pattern.compile("Done (\\d+) runs in (\\d+) second");
  private static final Pattern CORPUS = Pattern.compile("DONE\\s+cov: \\d+ ft: \\d+ corp: (\\d+)/");

  @Option(names = "--seconds", defaultValue = "60", paramLabel = "N", description = "Fuzzing time per target, 5..86400 (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--target", paramLabel = "NAME", description = "Fuzz only targets whose name contains NAME (repeatable), e.g. pdf, request.")
  List<String> only;

  @Option(names = "--source", paramLabel = "DIR", description = "The source checkout (default: the one holding this directory).")
  Path source;

  @Option(names = "--json", description = "Also print one JSON object as the last thing on stdout.")
  boolean json;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (seconds < 5 || seconds > 86_400) throw new BadInputException("--seconds must be in 5..86400, got " + seconds);
    Path root = checkout(source != null ? source : Path.of("").toAbsolutePath());
    List<Target> targets = TARGETS.stream().filter(t -> only == null || only.stream().anyMatch(o -> t.name().contains(o))).toList();
    if (targets.isEmpty()) throw new BadInputException("--target matches none of: " + String.join(", ", TARGETS.stream().map(Target::name).toList()));
    PrintWriter out = spec.commandLine().getOut();
    PrintStream err = Main.err(spec);
    out.printf("%-22s %8s %12s %10s %7s %9s%n", "target", "seconds", "inputs", "inputs/s", "corpus", "findings");
    List<Map<String, Object>> rows = new ArrayList<>();
    int findings = 0;
    for (int i = 0; i < targets.size(); i++) {
      Target t = targets.get(i);
      err.printf("groundwork: fuzzing %d/%d: %s for %d s (ETA %d s)%n", i + 1, targets.size(), t.name(), seconds,
          (long) (targets.size() - i) * (seconds + 15));
      err.flush();
      Path log = Files.createTempFile("groundwork-fuzz", ".log");
      // the fuzz tests' own surefire execution only (the module's other tests stay out of Jazzer's JVM)
      ProcessBuilder pb = new ProcessBuilder(root.resolve("mvnw").toString(), "-B", "-pl", t.module(), "test-compile", "surefire:test@fuzz-seeds",
          "-Dtest=" + t.test(), "-Dsurefire.failIfNoSpecifiedTests=false").directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("JAZZER_FUZZ", "1");
      pb.environment().put("JAZZER_MAX_DURATION", seconds + "s");
      int rc = pb.start().waitFor();
      String text = Files.readString(log);
      Matcher done = DONE.matcher(text);
      long inputs = 0;
      long secs = 0;
      while (done.find()) {
        inputs = Long.parseLong(done.group(1));
        secs = Long.parseLong(done.group(2));
      }
      Matcher corp = CORPUS.matcher(text);
      int corpus = 0;
      while (corp.find()) corpus = Integer.parseInt(corp.group(1));
      int found = text.contains("FuzzTestFindingException") ? 1 : 0;
      if (rc != 0 && found == 0 && inputs == 0) {
        throw new IllegalStateException("the fuzz run of " + t.name() + " failed before fuzzing (exit " + rc + "); its log: " + log);
      }
      findings += found;
      out.printf("%-22s %8d %,12d %,10d %7d %9d%n", t.name(), secs, inputs, secs == 0 ? 0 : inputs / secs, corpus, found);
      out.flush();
      if (found > 0) err.println("groundwork: " + t.name() + " has a finding; the log, with the input and its stack trace: " + log);
      else Files.deleteIfExists(log);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("target", t.name());
      row.put("test", t.module() + " " + t.test());
      row.put("seconds", secs);
      row.put("inputs", inputs);
      row.put("corpus", corpus);
      row.put("findings", found);
      rows.add(row);
    }
    if (json) out.println(Json.write(Map.of("targets", rows, "findings", findings)));
    return findings == 0 ? Main.OK : Main.FAILED_CHECKS;
  }

  /** The source checkout holding {@code dir}: the folder with ./mvnw and the fuzz tests. */
  static Path checkout(Path dir) {
    for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
      if (Files.isExecutable(p.resolve("mvnw")) && Files.isDirectory(p.resolve("groundwork-server/src/test"))) return p;
    }
    throw new BadInputException("bench fuzz runs the fuzz tests of a Groundwork source checkout; none holds " + dir + " (pass --source DIR)");
  }
}
