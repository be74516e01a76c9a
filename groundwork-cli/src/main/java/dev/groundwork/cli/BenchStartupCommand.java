package dev.groundwork.cli;

import dev.groundwork.app.Json;
import dev.groundwork.app.Project;
import dev.groundwork.bench.StartupBenchmark;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "startup", mixinStandardHelpOptions = true, description = {
    "Start-up time of whole `groundwork` processes: search, ask, keys list, models list and --version on",
    "a project with an index (run `groundwork demo` first), each run --runs times without and with the",
    "class cache the launcher uses (JDK 25+: an AOT cache; JDK 21-24: a CDS archive), alternating, in",
    "one session. Prints the median wall and CPU time of each and the ratio cached / plain.", "",
    "Example:",
    "  $ groundwork bench startup -C demo",
    "  start-up of whole processes, median of 5 runs; Java 25, 2 cores; cache: AOT",
    "  command                   plain ms  cached ms   ratio  CPU plain  CPU cached",
    "  search                        1571        952    0.61       2450        1370",
    "  ..."})
final class BenchStartupCommand implements Callable<Integer> {
  @Mixin ProjectOption project;

  @Option(names = "--runs", defaultValue = "5", paramLabel = "N", description = "Processes per command and mode, 1..50 (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--json", description = "Also print one JSON object as the last thing on stdout.")
  boolean json;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  /**
   * The JVM as the launcher starts a short command (all of those measured here), up to (and
   * including) the jar or main class.
   */
  static List<String> jvm() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss4m"));
    Path code = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (Files.isRegularFile(code)) {
      cmd.addAll(List.of("-jar", code.toString()));
    } else {
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    }
    return cmd;
  }

  @Override
  public Integer call() throws Exception {
    if (runs < 1 || runs > 50) throw new dev.groundwork.app.BadInputException("--runs must be in 1..50, got " + runs);
    Path root = project.root().toAbsolutePath().normalize();
    try (Project p = Project.open(root, false)) {
      p.requireIndex();
    }
    String dir = root.toString();
    // search first: it trains the cache, as the launcher's first project command does
    java.util.SequencedMap<String, List<String>> commands = new java.util.LinkedHashMap<>();
    commands.put("search", List.of("search", "-C", dir, "retention period"));
    commands.put("ask", List.of("ask", "-C", dir, "How long are dead jobs kept?"));
    commands.put("keys list", List.of("keys", "list", "-C", dir));
    commands.put("models list", List.of("models", "list"));
    commands.put("--version", List.of("--version"));
    Path work = root.resolve(Project.DATA_DIR).resolve("bench").resolve("startup");
    Project.deleteTree(work);
    List<StartupBenchmark.Row> rows;
    try (Progress bar = new Progress(Main.err(spec), "startup", "processes")) {
      bar.started(commands.size() * runs * 2);
      rows = new StartupBenchmark(jvm(), work, runs).run(commands, done -> bar.progressed(done, ""));
    }
    print(rows, spec.commandLine().getOut());
    return rows.stream().anyMatch(r -> r.failures() > 0) ? Main.RUNTIME : Main.OK;
  }

  private void print(List<StartupBenchmark.Row> rows, PrintWriter out) {
    int feature = Runtime.version().feature();
    out.printf("start-up of whole processes, median of %d runs; Java %d, %d cores; cache: %s%n", runs, feature,
        Runtime.getRuntime().availableProcessors(), feature >= 25 ? "AOT" : "CDS");
    out.printf("%-14s %9s %10s %7s %10s %11s%n", "command", "plain ms", "cached ms", "ratio", "CPU plain", "CPU cached");
    List<Map<String, Object>> jsonRows = new ArrayList<>();
    for (StartupBenchmark.Row r : rows) {
      String name = r.command();
      out.printf("%-14s %9.0f %10.0f %7.2f %10.0f %11.0f%s%n", name, r.plainMs(), r.cachedMs(), r.ratio(), r.plainCpuMs(), r.cachedCpuMs(),
          r.failures() > 0 ? "  (" + r.failures() + " runs failed)" : "");
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("command", name);
      m.put("plain_ms", Json.round(r.plainMs()));
      m.put("cached_ms", Json.round(r.cachedMs()));
      m.put("ratio", Json.round(r.ratio()));
      m.put("plain_cpu_ms", Double.isNaN(r.plainCpuMs()) ? null : Json.round(r.plainCpuMs()));
      m.put("cached_cpu_ms", Double.isNaN(r.cachedCpuMs()) ? null : Json.round(r.cachedCpuMs()));
      m.put("failures", r.failures());
      jsonRows.add(m);
    }
    if (json) out.println(Json.compact(Map.of("runs", runs, "java", feature, "cache", feature >= 25 ? "aot" : "cds", "commands", jsonRows)));
  }
}
