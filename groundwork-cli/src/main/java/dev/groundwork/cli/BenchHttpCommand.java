package dev.groundwork.cli;

import dev.groundwork.app.BadInputException;
import dev.groundwork.app.Json;
import dev.groundwork.bench.CannedUpstream;
import dev.groundwork.bench.HttpClientBenchmark;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "http", mixinStandardHelpOptions = true, description = {
    "The HTTP client the providers use, measured against the JDK's HttpClient and OkHttp: start-up (a fresh",
    "JVM that builds the client and makes one call, median of --runs whole processes) and per-call overhead",
    "(one thread, keep-alive, a small JSON POST to a local server that answers at once: p50 and p99",
    "latency, and process CPU per call). Ratios are to our client, measured in the same run.", "",
    "Example:",
    "  $ groundwork bench http",
    "  client       start-up ms  ratio   p50 us   p99 us  ratio  CPU us/call",
    "  groundwork           310   1.00       48      120   1.00         61",
    "  ..."})
final class BenchHttpCommand implements Callable<Integer> {
  @Option(names = "--calls", defaultValue = "20000", paramLabel = "N", description = "Measured calls per client (default: ${DEFAULT-VALUE}).")
  int calls;

  @Option(names = "--warmup", defaultValue = "10000", paramLabel = "N", description = "Calls per client before measuring (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--runs", defaultValue = "5", paramLabel = "N", description = "Start-up processes per client (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--json", description = "Also print one JSON object as the last thing on stdout.")
  boolean json;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (calls < 100 || calls > 10_000_000) throw new BadInputException("--calls must be in 100..10000000, got " + calls);
    if (warmup < 0 || runs < 1 || runs > 50) throw new BadInputException("--warmup must be >= 0 and --runs in 1..50");
    List<String> jvm = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-XX:+UseParallelGC", "-cp",
        System.getProperty("java.class.path")));
    List<HttpClientBenchmark.Row> rows;
    try (CannedUpstream server = new CannedUpstream(Duration.ZERO); Progress bar = new Progress(Main.err(spec), "http clients", "clients")) {
      bar.started(HttpClientBenchmark.CLIENTS.size());
      rows = new HttpClientBenchmark(jvm, calls, warmup, runs).run(URI.create(server.baseUrl() + "/chat/completions"), n -> bar.progressed(n, ""));
    }
    PrintWriter out = spec.commandLine().getOut();
    HttpClientBenchmark.Row base = rows.get(0);
    out.printf("HTTP clients: %d calls after %d warm-up, start-up median of %d processes; Java %d, %d cores%n", calls, warmup, runs,
        Runtime.version().feature(), Runtime.getRuntime().availableProcessors());
    out.printf("%-11s %12s %6s %8s %8s %6s %12s%n", "client", "start-up ms", "ratio", "p50 us", "p99 us", "ratio", "CPU us/call");
    List<Map<String, Object>> js = new ArrayList<>();
    for (HttpClientBenchmark.Row r : rows) {
      out.printf("%-11s %12.0f %6.2f %8.1f %8.1f %6.2f %12.1f%n", r.client(), r.startupMs(), r.startupMs() / base.startupMs(), r.p50Us(), r.p99Us(),
          r.p50Us() / base.p50Us(), r.cpuUsPerCall());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("client", r.client());
      m.put("startup_ms", Json.round(r.startupMs()));
      m.put("p50_us", Json.round(r.p50Us()));
      m.put("p99_us", Json.round(r.p99Us()));
      m.put("cpu_us_per_call", Json.round(r.cpuUsPerCall()));
      js.add(m);
    }
    if (json) out.println(Json.compact(Map.of("calls", calls, "warmup", warmup, "runs", runs, "clients", js)));
    return Main.OK;
  }
}
