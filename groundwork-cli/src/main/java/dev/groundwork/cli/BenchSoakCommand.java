package dev.groundwork.cli;

import dev.groundwork.app.BadInputException;
import dev.groundwork.app.Json;
import dev.groundwork.app.LiveProject;
import dev.groundwork.app.Project;
import dev.groundwork.bench.CannedUpstream;
import dev.groundwork.bench.SoakBenchmark;
import dev.groundwork.server.GroundworkServer;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "soak", mixinStandardHelpOptions = true, description = {
    "A long mixed load against one server: chat answered from the documents, streamed chat, the gateway",
    "path (a canned OpenAI-compatible upstream in this process), search, document uploads (a bounded",
    "set, replaced over and over) and a suite run every minute, from --clients clients for --minutes.",
    "It builds its own project from the demo corpus in a temporary folder, serves it like `serve`",
    "(durable query log, keyless on loopback), and reports per interval: requests, errors, p50 and p99",
    "latency, heap after a collection, open file descriptors and threads (this process: server and",
    "load together); at the end, errors by cause, growth of heap and descriptors, and log",
    "completeness: how many of the query ids the clients received are in the log.", "",
    "Example:",
    "  $ groundwork bench soak --minutes 30",
    "  minute  requests  errors  p50 ms  p99 ms  heap MB   FDs  threads",
    "       1      4210       0    11.2    61.0    118.4   212       41",
    "  ..."})
final class BenchSoakCommand implements Callable<Integer> {
  @Option(names = "--minutes", defaultValue = "10", paramLabel = "N", description = "How long, 1..1440 (default: ${DEFAULT-VALUE}).")
  int minutes;

  @Option(names = "--clients", defaultValue = "8", paramLabel = "N", description = "Concurrent clients, 1..256 (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--interval-s", defaultValue = "60", paramLabel = "S", description = "Seconds per reported interval, 5..3600 (default: ${DEFAULT-VALUE}).")
  int intervalSeconds;

  @Option(names = "--json", description = "Also print one JSON object as the last thing on stdout.")
  boolean json;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (minutes < 1 || minutes > 1440) throw new BadInputException("--minutes must be in 1..1440, got " + minutes);
    if (clients < 1 || clients > 256) throw new BadInputException("--clients must be in 1..256, got " + clients);
    if (intervalSeconds < 5 || intervalSeconds > 3600) throw new BadInputException("--interval-s must be in 5..3600, got " + intervalSeconds);
    return run(Duration.ofMinutes(minutes));
  }

  /** The soak for {@code length} (tests run it for seconds). */
  int run(Duration length) throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintStream err = Main.err(spec);
    Path root = Files.createTempDirectory("groundwork-soak");
    try (CannedUpstream upstream = new CannedUpstream(Duration.ofMillis(20))) {
      Files.writeString(root.resolve("groundwork.yaml"), """
          answer: {model: extractive, fallback: ["openai:gpt-4.1-mini"]}
          models: {openai: {base_url: "%s", api_key: "soak"}, retries: 0}
          """.formatted(upstream.baseUrl()));
      DemoCommand.copyCorpus(root.resolve("docs"));
      DemoCommand.copyResource("/demo/suites/tidewater.yaml", root.resolve("suites/tidewater.yaml"));
      try (Project p = Project.open(root, true); Progress progress = new Progress(err, "ingest", "files")) {
        p.ingestPipeline(progress).ingestPaths(p.config().sources());
      }
      try (LiveProject live = new LiveProject(Project.open(root, true), err::println);
          dev.groundwork.core.log.QueryLog log = live.project().journaledQueryLog(line -> err.println("groundwork: " + line))) {
        GroundworkServer server = GroundworkServer.builder().answering(live.answering()).documents(live.documents()).evals(live.evals())
            .queryLog(log).auth(false).port(0).build().start();
        SoakBenchmark.Result r;
        SoakBenchmark.Sample before = sample();
        try {
          err.printf("groundwork: soak of %d s with %d clients against http://127.0.0.1:%d%n", length.toSeconds(), clients, server.port());
          out.printf("%6s %9s %7s %7s %7s %8s %5s %8s%n", "minute", "requests", "errors", "p50 ms", "p99 ms", "heap MB", "FDs", "threads");
          out.flush();
          double perMinute = 60.0 / intervalSeconds;
          r = SoakBenchmark.run(URI.create("http://127.0.0.1:" + server.port()), length, Duration.ofSeconds(intervalSeconds), clients,
              "openai:gpt-4.1-mini", DemoCommand.QUESTIONS, BenchSoakCommand::sample, in -> {
                out.printf("%6.1f %9d %7d %7.1f %7.1f %8.1f %5d %8d%n", in.minute() / perMinute, in.requests(), in.errors(), in.p50Ms(), in.p99Ms(),
                    in.sample().heapMb(), in.sample().fds(), in.sample().threads());
                out.flush();
              });
        } finally {
          server.stop();
        }
        long logged = r.queryIds().stream().filter(id -> log.get(id).isPresent()).count();
        List<SoakBenchmark.Interval> in = r.intervals();
        SoakBenchmark.Sample first = in.isEmpty() ? before : in.get(0).sample();
        SoakBenchmark.Sample last = in.isEmpty() ? before : in.get(in.size() - 1).sample();
        long errors = r.errors().values().stream().mapToLong(Long::longValue).sum();
        out.println();
        out.printf("requests %d (%s), errors %d%s%n", r.requests(), r.byOperation(), errors, r.errors().isEmpty() ? "" : " " + r.errors());
        out.printf("suite runs %d; heap after GC %.1f -> %.1f MB (first to last interval); FDs %d -> %d; threads %d -> %d%n", r.evalRuns(),
            first.heapMb(), last.heapMb(), first.fds(), last.fds(), first.threads(), last.threads());
        out.printf("log completeness: %d of %d query ids the clients received are in the log%n", logged, r.queryIds().size());
        if (json) {
          List<Map<String, Object>> rows = new ArrayList<>();
          for (SoakBenchmark.Interval i : in) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("interval", i.minute());
            m.put("requests", i.requests());
            m.put("errors", i.errors());
            m.put("p50_ms", i.p50Ms());
            m.put("p99_ms", i.p99Ms());
            m.put("heap_mb", i.sample().heapMb());
            m.put("fds", i.sample().fds());
            m.put("threads", i.sample().threads());
            rows.add(m);
          }
          Map<String, Object> j = new LinkedHashMap<>();
          j.put("seconds", length.toSeconds());
          j.put("clients", clients);
          j.put("requests", r.requests());
          j.put("by_operation", r.byOperation());
          j.put("errors", r.errors());
          j.put("suite_runs", r.evalRuns());
          j.put("query_ids", r.queryIds().size());
          j.put("logged", logged);
          j.put("intervals", rows);
          out.println(Json.write(j));
        }
        return errors == 0 && logged == r.queryIds().size() ? Main.OK : Main.FAILED_CHECKS;
      }
    } finally {
      Project.deleteTree(root);
    }
  }

  /** Heap in use right after a full collection, open file descriptors (Linux), platform threads. */
  static SoakBenchmark.Sample sample() {
    System.gc();
    double heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
    long fds = -1;
    Path proc = Path.of("/proc/self/fd");
    if (Files.isDirectory(proc)) {
      try (Stream<Path> s = Files.list(proc)) {
        fds = s.count();
      } catch (java.io.IOException e) {
        fds = -1;
      }
    }
    return new SoakBenchmark.Sample(heap, fds, ManagementFactory.getThreadMXBean().getThreadCount());
  }
}
