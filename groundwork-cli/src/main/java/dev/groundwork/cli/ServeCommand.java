package dev.groundwork.cli;

import dev.groundwork.app.BadInputException;
import dev.groundwork.app.LiveProject;
import dev.groundwork.app.Project;
import dev.groundwork.app.ProjectConfig;
import dev.groundwork.server.GroundworkServer;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true, description = {
    "Serve the project over HTTP: an OpenAI-compatible /v1/chat/completions that answers the last user",
    "message from the documents (any OpenAI client works unchanged; citations, retrieved chunks, cost and",
    "latency ride along in a `groundwork` object), /v1/models, /v1/embeddings, /api/ask, /api/search,",
    "/api/feedback, /api/queries (the query log), /api/ingest and /api/documents/{id} (upload and delete",
    "documents; uploads are kept in uploads/), /health, /ready and /metrics (Prometheus).",
    "Requests need `Authorization: Bearer <key>` (see `groundwork keys`) unless --no-auth on loopback.",
    "Every answer is logged in .groundwork/groundwork.db (or store.url), committed before it is sent.",
    "Ctrl-C or SIGTERM stops accepting, answers what was already read, then exits (--grace).",
    "One writer per project: a second serve or an ingest on a served project is refused, naming the PID.",
    "An edit of groundwork.yaml (or `groundwork versions promote`) is picked up within a second, without a",
    "restart; requests already running finish on the old configuration.", "",
    "Example:",
    "  $ groundwork keys create local && groundwork serve --port 8080",
    "  groundwork: serving /work/demo on http://127.0.0.1:8080 (models: extractive; auth on)",
    "  $ curl -s localhost:8080/v1/chat/completions -H \"Authorization: Bearer $KEY\" \\",
    "      -d '{\"messages\":[{\"role\":\"user\",\"content\":\"How many attempts does a job get?\"}]}'"})
final class ServeCommand implements Callable<Integer> {
  @Mixin ProjectOption project;

  @Mixin ModelFlags modelFlags;

  @Option(names = "--port", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).") int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).") String host;

  @Option(names = "--no-auth", description = "Serve without API keys (loopback addresses only).") boolean noAuth;

  @Option(names = "--grace", paramLabel = "SECONDS", description = {"How long a stopping server (Ctrl-C, SIGTERM) waits for requests in",
      "flight before it exits (default: server.shutdown_grace_s, 30)."}) Integer graceSeconds;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  /** server.otlp_endpoint, else the standard OTEL_EXPORTER_OTLP_ENDPOINT variable, else none. */
  private static java.net.URI otlpEndpoint(Project p) {
    if (p.config().server().otlpEndpoint() != null) return p.config().server().otlpEndpoint();
    String env = System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT");
    if (env == null || env.isBlank()) return null;
    try {
      return new java.net.URI(env.strip());
    } catch (java.net.URISyntaxException e) {
      throw new BadInputException("OTEL_EXPORTER_OTLP_ENDPOINT is not a URL: " + env);
    }
  }

  /** Set by tests to stop the server; the command otherwise runs until the process is stopped. */
  static volatile CountDownLatch stopSignal;

  @Override
  public Integer call() throws Exception {
    ProjectConfig cfg = modelFlags.config(project);
    if (graceSeconds != null && (graceSeconds < 0 || graceSeconds > 3600)) throw new BadInputException("--grace must be in 0..3600 seconds, got " + graceSeconds);
    PrintStream err = Main.err(spec);
    CountDownLatch closed = new CountDownLatch(1);
    // opening the project takes its writer lock: a second serve (or an ingest) stops here, naming the holder
    try (LiveProject live = new LiveProject(Project.open(project.root(), cfg, true), line -> {
          err.println(line);
          err.flush();
        }); dev.groundwork.core.log.QueryLog log = live.project().journaledQueryLog(line -> {
          err.println("groundwork: " + line);
          err.flush();
        })) {
      Project p = live.project();
      p.requireIndex();
      // store.retention_days: expired entries go now, then once a day while the server runs
      java.util.concurrent.ScheduledExecutorService retention = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "groundwork-retention");
        t.setDaemon(true);
        return t;
      });
      if (p.config().log().retentionDays() > 0) {
        retention.scheduleAtFixedRate(() -> {
          try {
            int n = live.project().applyRetention(java.time.Instant.now());
            if (n > 0) err.println("groundwork: deleted " + n + " logged queries older than store.retention_days");
          } catch (RuntimeException e) {
            err.println("groundwork: retention failed: " + e.getMessage());
          }
        }, 0, 1, java.util.concurrent.TimeUnit.DAYS);
      }
      var answering = live.answering();
      Duration grace = Duration.ofSeconds(graceSeconds != null ? graceSeconds : p.config().server().shutdownGraceSeconds());
      GroundworkServer server = GroundworkServer.builder().answering(answering).documents(live.documents()).evals(live.evals()).queryLog(log)
          .keys(p.keys())
          .auth(!noAuth).host(host).port(port)
          .rateLimits(p.config().server().requestsPerMinute(), p.config().server().tokensPerMinute())
          .allowedOrigins(p.config().server().allowedOrigins())
          .shutdownGrace(grace)
          .otlpEndpoint(otlpEndpoint(p))
          .maxBodyBytes((long) p.config().server().maxBodyMb() << 20).build().start(); // start() warms the pipeline first
      CountDownLatch stop = stopSignal != null ? stopSignal : new CountDownLatch(1);
      // SIGTERM or Ctrl-C: the hook asks this thread to stop, and holds the JVM open until it has
      // answered what it read, committed the log and closed the index
      Thread hook = new Thread(() -> {
        stop.countDown();
        try {
          closed.await(grace.toSeconds() + 15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "groundwork-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      // SIGTERM and Ctrl-C are taken here rather than left to start the JVM's shutdown: ONNX Runtime
      // closes its environment in a shutdown hook of its own, and an answer still being embedded
      // during the drain would then crash the process. The JVM shuts down after the drain instead.
      java.util.Map<sun.misc.Signal, sun.misc.SignalHandler> previous = new java.util.HashMap<>();
      for (String name : java.util.List.of("TERM", "INT")) {
        try {
          sun.misc.Signal sig = new sun.misc.Signal(name);
          previous.put(sig, sun.misc.Signal.handle(sig, x -> stop.countDown()));
        } catch (IllegalArgumentException e) {
          // this platform has no such signal, or the JVM reserves it (-Xrs): the hook above stops us
        }
      }
      try {
        // model flags pin the models for this run: a reload of the file would drop them
        if (modelFlags.model == null && modelFlags.fallbacks == null && modelFlags.baseUrl == null && modelFlags.apiKey == null) {
          live.watch(Duration.ofSeconds(1));
        }
        err.printf("groundwork: serving %s on http://%s:%d (models: %s; auth %s)%n", p.root(), host, server.port(),
            String.join(", ", answering.models()), noAuth ? "off" : "on");
        err.flush();
        stop.await();
        err.println("groundwork: stopping: answering the requests in flight (up to " + grace.toSeconds() + " s)");
        err.flush();
        boolean all = server.stop();
        err.println(all ? "groundwork: stopped; every request was answered" : "groundwork: stopped; requests still running after the grace period were cut");
        err.flush();
      } finally {
        previous.forEach(sun.misc.Signal::handle); // a test JVM that served in-process gets its own handling back
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // the JVM is shutting down: the hook is waiting for us
        }
      }
      return Main.OK;
    } finally {
      closed.countDown(); // after the log and the project are closed: the JVM may exit now
    }
  }
}
