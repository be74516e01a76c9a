package dev.groundwork.cli;

import dev.groundwork.app.GatewayBench;
import dev.groundwork.app.Json;
import dev.groundwork.app.Project;
import dev.groundwork.bench.CannedUpstream;
import dev.groundwork.bench.GatewayBenchmark;
import dev.groundwork.server.BareServer;
import dev.groundwork.server.GroundworkServer;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "gateway", mixinStandardHelpOptions = true, description = {
    "The latency `groundwork serve` adds to /v1/chat/completions on the gateway path (groundwork.retrieve",
    "= false): a canned OpenAI upstream with a fixed delay and the load generator run in this process,",
    "the gateway in a process of its own (--in-process: all in one); the same requests go to the",
    "upstream directly and through the gateway, and the difference of the percentiles is what the",
    "gateway adds (auth off; the durable query log: the journal, synced per group with --sync full, then SQLite).",
    "CPU ms/req: this process's CPU per direct request (load generator and upstream), and the gateway",
    "process's own CPU per request through it (in-process: the whole process's, for both). --jfr FILE",
    "records the gateway process with Java Flight Recorder. --floor adds rows for a bare Javalin server (one",
    "route that waits, then one that forwards the bytes): the cost of the server stack alone. Then it",
    "holds many streams open at once. Clients start spread over one upstream delay, and this process",
    "collects its garbage between measurements, so that neither a first burst nor the load generator's",
    "own pauses land in a measurement.", "",
    "Example: (2 cores, JDK 25; plain completions, 50 clients, the log that survives kill -9, with the floor)",
    "  $ groundwork bench gateway --clients 50 --stream no --streams 0 --sync normal --floor",
    "  clients stream requests   direct p50/p99 ms  gateway p50/p99 ms  added p50/p99 ms  CPU ms/req direct/gateway  errors",
    "       50     no    10000    20.49 /   21.33     20.72 /   23.90     0.23 /   2.57         0.106 / 0.204             0",
    "       50     no    10000    20.47 /   21.77     20.41 /   21.89    -0.06 /   0.12         0.101 / 0.129             0  (bare Javalin, waits 20 ms)",
    "       50     no    10000    20.26 /   20.73     20.59 /   22.67     0.32 /   1.94         0.100 / 0.129             0  (bare Javalin, forwards bytes)",
    "  upstream connections: ..."})
final class BenchGatewayCommand implements Callable<Integer> {
  @Option(names = "--clients", split = ",", defaultValue = "1,50,500", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
  List<Integer> clients;

  @Option(names = "--requests", defaultValue = "0", description = {"Requests per measurement, spread over the clients. Default: 2000, and",
      "at least 200 per client up to 20000 in all, so that a p99 rests on enough requests."})
  int requests;

  @Option(names = "--warmup", defaultValue = "40000", description = {"Requests sent to each path by 50 clients before measuring each mode",
      "(default: ${DEFAULT-VALUE}; with 10,000 the JIT was still compiling and the gateway's CPU per request",
      "read about twice its steady value)."})
  int warmup;

  @Option(names = "--delay-ms", defaultValue = "20", description = "The upstream's fixed delay (default: ${DEFAULT-VALUE}).")
  int delayMs;

  @Option(names = "--streams", defaultValue = "1000", description = "Streams held open at once at the end; 0 skips it (default: ${DEFAULT-VALUE}).")
  int streams;

  @Option(names = "--stream", defaultValue = "both", paramLabel = "no|yes|both", description = "Plain completions, streams, or both (default: ${DEFAULT-VALUE}).")
  String streamModes;

  @Option(names = "--json", description = "Also print one JSON object as the last thing on stdout.")
  boolean json;

  @Option(names = "--in-process", description = "Run the gateway in this process too (then its CPU cannot be told apart).")
  boolean inProcess;

  @Option(names = "--jfr", paramLabel = "FILE", description = "Record the gateway process with Java Flight Recorder (profile settings) into FILE.")
  Path jfr;

  @Option(names = "--sync", defaultValue = "full", paramLabel = "full|normal", description = {"The query log's SQLite sync (store.sync): full survives power",
      "loss, normal survives a killed process (default: ${DEFAULT-VALUE})."})
  String sync;

  @Option(names = "--log", defaultValue = "db", paramLabel = "db|journal|off", description = {"The gateway's query log: db (what serve runs: the",
      "journal, then SQLite), journal (the journal alone; SQLite takes nothing) or off (no log), to measure what",
      "each part costs (default: ${DEFAULT-VALUE})."})
  String logMode;

  @Option(names = "--floor", description = {"Also measure the floor under the gateway, plain completions only: a bare Javalin server in a process",
      "of its own whose one route waits --delay-ms, then one that forwards the bytes to the upstream (no JSON,",
      "no checks, no log)."})
  boolean floor;

  /** Set in a bare server's own process: wait or forward. */
  @Option(names = "--serve-bare", hidden = true)
  String serveBare;

  /** Set in the gateway's own process: the upstream it forwards to. */
  @Option(names = "--serve-upstream", hidden = true)
  String serveUpstream;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!sync.equals("full") && !sync.equals("normal")) throw new IllegalArgumentException("--sync must be full or normal, got " + sync);
    if (!GatewayBench.LOG_MODES.contains(logMode)) throw new IllegalArgumentException("--log must be db, journal or off, got " + logMode);
    if (serveUpstream != null && serveBare != null) return serveBare(serveUpstream, serveBare);
    if (serveUpstream != null) return serveGateway(serveUpstream);
    if (requests < 0 || warmup < 0 || delayMs < 0 || streams < 0) throw new IllegalArgumentException("--requests must be >= 0 (0 = automatic), --warmup, --delay-ms and --streams >= 0");
    for (int c : clients) if (c < 1 || c > 5000) throw new IllegalArgumentException("--clients must be in 1..5000, got " + c);
    if (inProcess && jfr != null) throw new IllegalArgumentException("--jfr records the gateway's own process; drop --in-process");
    if (inProcess && floor) throw new IllegalArgumentException("--floor measures bare servers in processes of their own; drop --in-process");
    PrintWriter out = spec.commandLine().getOut();
    List<Map<String, Object>> rows = new ArrayList<>();
    int openOk;
    int upstreamConnections;
    long upstreamRequests;
    try (CannedUpstream upstream = new CannedUpstream(Duration.ofMillis(delayMs))) {
      boolean fullSync = sync.equals("full");
      try (GatewayUnderTest gw = inProcess ? GatewayUnderTest.inProcess(upstream.baseUrl(), fullSync, logMode)
          : GatewayUnderTest.child(upstream.baseUrl(), jfr, List.of("--sync", sync, "--log", logMode));
          GatewayBenchmark load = new GatewayBenchmark()) {
        URI direct = URI.create(upstream.baseUrl() + "/chat/completions");
        URI viaGateway = URI.create("http://127.0.0.1:" + gw.port() + "/v1/chat/completions");
        out.printf("%7s %6s %8s  %18s  %18s  %16s  %25s  %6s%n", "clients", "stream", "requests", "direct p50/p99 ms", "gateway p50/p99 ms", "added p50/p99 ms", "CPU ms/req direct/gateway", "errors");
        boolean[] modes = switch (streamModes) {
          case "no" -> new boolean[] {false};
          case "yes" -> new boolean[] {true};
          case "both" -> new boolean[] {false, true};
          default -> throw new IllegalArgumentException("--stream must be no, yes or both, got " + streamModes);
        };
        for (boolean stream : modes) {
          String directBody = body(GatewayBench.MODEL, stream, false);
          String gatewayBody = body("openai:" + GatewayBench.MODEL, stream, true);
          // warm-up, so the JIT has compiled both paths before anything is measured
          int warmClients = Math.min(50, Math.max(1, warmup));
          int warmEach = Math.max(1, warmup / warmClients);
          load.load(direct, directBody, warmClients, warmEach, ramp());
          load.load(viaGateway, gatewayBody, warmClients, warmEach, ramp());
          for (int c : clients) {
            int per = requests > 0 ? Math.max(1, requests / c) : Math.max(2000 / c, Math.min(200, 20_000 / c));
            GatewayBenchmark.Latency d = load.load(direct, directBody, c, per, ramp());
            long gwCpu0 = gw.cpuNanos();
            GatewayBenchmark.Latency g = load.load(viaGateway, gatewayBody, c, per, ramp());
            if (!inProcess) g = g.withCpuMsPerRequest((gw.cpuNanos() - gwCpu0) / 1e6 / ((long) c * per));
            out.printf("%7d %6s %8d  %7.2f / %7.2f   %7.2f / %7.2f   %6.2f / %6.2f   %11.3f / %-11.3f  %6d%n", c, stream ? "yes" : "no", c * per, d.p50(),
                d.p99(), g.p50(), g.p99(), g.p50() - d.p50(), g.p99() - d.p99(), d.cpuMsPerRequest(), g.cpuMsPerRequest(), d.errors() + g.errors());
            out.flush();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("clients", c);
            row.put("stream", stream);
            row.put("requests", c * per);
            row.put("direct_p50_ms", d.p50());
            row.put("direct_p99_ms", d.p99());
            row.put("gateway_p50_ms", g.p50());
            row.put("gateway_p99_ms", g.p99());
            row.put("added_p50_ms", g.p50() - d.p50());
            row.put("added_p99_ms", g.p99() - d.p99());
            row.put("direct_cpu_ms_per_request", d.cpuMsPerRequest());
            row.put("gateway_cpu_ms_per_request", g.cpuMsPerRequest());
            row.put("errors", d.errors() + g.errors());
            rows.add(row);
          }
        }
        if (floor) rows.addAll(floor(upstream, load, out));
        upstreamConnections = upstream.connections(); // before the open streams, which need a connection each
        upstreamRequests = upstream.requests();
        out.printf("upstream connections: %d (keep-alive: the load generator and the gateway reuse theirs)%n", upstreamConnections);
        openOk = 0;
        if (streams > 0) {
          upstream.delay(Duration.ofSeconds(2)); // every stream stays open two seconds
          openOk = load.concurrent(viaGateway, body("openai:" + GatewayBench.MODEL, true, true), streams);
          out.printf("open streams: %d/%d completed (each held open 2 s)%n", openOk, streams);
        }
      }
    }
    if (json) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("delay_ms", delayMs);
      result.put("gateway_process", inProcess ? "shared" : "own");
      result.put("sync", sync);
      result.put("log", logMode);
      result.put("rows", rows);
      result.put("open_streams", streams);
      result.put("open_streams_ok", openOk);
      result.put("upstream_connections", upstreamConnections);
      result.put("upstream_requests", upstreamRequests);
      out.println(Json.compact(result));
    }
    return Main.OK;
  }

  /** The gateway being measured: in this process, or in a child process whose CPU time is its own. */
  private interface GatewayUnderTest extends AutoCloseable {
    int port();

    /** CPU time the gateway's process has used so far; this process's when it runs in-process. */
    long cpuNanos();

    static GatewayUnderTest inProcess(String upstream, boolean fullSync, String logMode) throws Exception {
      Path db = Files.createTempDirectory("gw-bench").resolve("log.db");
      dev.groundwork.core.log.QueryLog log = GatewayBench.servedLog(db, fullSync, logMode);
      GroundworkServer server = server(upstream, log);
      return new GatewayUnderTest() {
        public int port() {
          return server.port();
        }

        public long cpuNanos() {
          return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }

        public void close() throws Exception {
          server.stop();
          log.close();
          Project.deleteTree(db.getParent());
        }
      };
    }

    /**
     * {@code groundwork bench gateway --serve-upstream URL} with {@code more} arguments, in a JVM started
     * like this one; it prints its port, and stops when its stdin closes.
     */
    static GatewayUnderTest child(String upstream, Path jfr, List<String> more) throws Exception {
      List<String> cmd = new ArrayList<>();
      cmd.add(ProcessHandle.current().info().command().orElse("java"));
      for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        // this process's flags, but not its collector: the server runs with serve's (added below)
        if (a.startsWith("--add-modules") || a.startsWith("--enable-native-access") || (a.startsWith("-XX:+Use") && !a.endsWith("GC")) || a.startsWith("-Xss")
            || a.startsWith("-Xmx") || a.startsWith("-Xms")) cmd.add(a);
      }
      cmd.add(SERVE_COLLECTOR);
      if (jfr != null) cmd.add("-XX:StartFlightRecording=settings=profile,filename=" + jfr.toAbsolutePath());
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "bench", "gateway", "--serve-upstream", upstream));
      cmd.addAll(more);
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
      String line;
      while ((line = r.readLine()) != null && !line.startsWith("port ")) {
        // the JVM's own notes, if any
      }
      if (line == null) throw new IllegalStateException("the gateway process did not start (exit " + p.waitFor() + ")");
      int port = Integer.parseInt(line.substring(5).strip());
      return new GatewayUnderTest() {
        public int port() {
          return port;
        }

        public long cpuNanos() {
          return p.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }

        public void close() throws Exception {
          p.getOutputStream().close(); // its signal to stop
          if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly();
        }
      };
    }
  }

  /**
   * The garbage collector the launcher gives {@code groundwork serve} (see the {@code groundwork}
   * script): the server under test runs with it, whatever this benchmark's own process runs with.
   */
  static final String SERVE_COLLECTOR = "-XX:+UseG1GC";

  private static GroundworkServer server(String upstream, dev.groundwork.core.log.QueryLog log) {
    return GroundworkServer.builder().answering(GatewayBench.passThrough(upstream)).queryLog(log).auth(false).port(0).build().start();
  }

  /**
   * Clients start spread over one upstream delay rather than all at once: in steady state a closed
   * loop's requests are spread over its period, while 50 sent in the same instant queue behind each
   * other on two cores, and that first burst alone filled a third to half of each measurement's
   * slowest 1% (direct and gateway alike).
   */
  private Duration ramp() {
    return Duration.ofMillis(delayMs);
  }

  /** The floor rows: each client count through a bare waiting server and a bare forwarding one, each in its own process. */
  private List<Map<String, Object>> floor(CannedUpstream upstream, GatewayBenchmark load, PrintWriter out) throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    String body = body(GatewayBench.MODEL, false, false);
    URI direct = URI.create(upstream.baseUrl() + "/chat/completions");
    for (String mode : List.of("wait", "forward")) {
      try (GatewayUnderTest bare = GatewayUnderTest.child(upstream.baseUrl(), null, List.of("--serve-bare", mode, "--delay-ms", String.valueOf(delayMs)))) {
        URI url = URI.create("http://127.0.0.1:" + bare.port() + "/v1/chat/completions");
        int warmClients = Math.min(50, Math.max(1, warmup));
        load.load(url, body, warmClients, Math.max(1, warmup / warmClients), ramp());
        for (int c : clients) {
          int per = requests > 0 ? Math.max(1, requests / c) : Math.max(2000 / c, Math.min(200, 20_000 / c));
          GatewayBenchmark.Latency d = load.load(direct, body, c, per, ramp());
          long cpu0 = bare.cpuNanos();
          GatewayBenchmark.Latency g = load.load(url, body, c, per, ramp()).withCpuMsPerRequest(0);
          double cpu = (bare.cpuNanos() - cpu0) / 1e6 / ((long) c * per);
          String label = mode.equals("wait") ? "bare Javalin, waits " + delayMs + " ms" : "bare Javalin, forwards bytes";
          out.printf("%7d %6s %8d  %7.2f / %7.2f   %7.2f / %7.2f   %6.2f / %6.2f   %11.3f / %-11.3f  %6d  (%s)%n", c, "no", c * per, d.p50(), d.p99(), g.p50(),
              g.p99(), g.p50() - d.p50(), g.p99() - d.p99(), d.cpuMsPerRequest(), cpu, d.errors() + g.errors(), label);
          out.flush();
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("floor", mode);
          row.put("clients", c);
          row.put("requests", c * per);
          row.put("added_p50_ms", g.p50() - d.p50());
          row.put("added_p99_ms", g.p99() - d.p99());
          row.put("server_cpu_ms_per_request", cpu);
          row.put("errors", d.errors() + g.errors());
          rows.add(row);
        }
      }
    }
    return rows;
  }

  /** A bare server's own process: serves until its stdin closes. */
  private int serveBare(String upstream, String mode) throws Exception {
    BareServer.Mode m = switch (mode) {
      case "wait" -> BareServer.Mode.WAIT;
      case "forward" -> BareServer.Mode.FORWARD;
      default -> throw new IllegalArgumentException("--serve-bare must be wait or forward, got " + mode);
    };
    try (GatewayBench.RawForward forward = GatewayBench.rawForward(upstream); BareServer server = BareServer.start(m, forward, Duration.ofMillis(delayMs))) {
      PrintWriter out = spec.commandLine().getOut();
      out.println("port " + server.port());
      out.flush();
      while (System.in.read() >= 0) {
        // until the benchmark closes our stdin
      }
    }
    return Main.OK;
  }

  /** The gateway's own process: serves until its stdin closes. */
  private int serveGateway(String upstream) throws Exception {
    Path db = Files.createTempDirectory("gw-bench").resolve("log.db");
    try (dev.groundwork.core.log.QueryLog log = GatewayBench.servedLog(db, sync.equals("full"), logMode)) {
      GroundworkServer server = server(upstream, log);
      PrintWriter out = spec.commandLine().getOut();
      out.println("port " + server.port());
      out.flush();
      while (System.in.read() >= 0) {
        // until the benchmark closes our stdin
      }
      server.stop();
    } finally {
      Project.deleteTree(db.getParent());
    }
    return Main.OK;
  }

  private static String body(String model, boolean stream, boolean gateway) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "")
        + (gateway ? ",\"groundwork\":{\"retrieve\":false}" : "")
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello in five words.\"}]}";
  }
}
