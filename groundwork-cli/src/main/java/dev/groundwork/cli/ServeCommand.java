package dev.groundwork.cli;

import dev.groundwork.app.LiveProject;
import dev.groundwork.app.Project;
import dev.groundwork.app.ProjectConfig;
import dev.groundwork.server.AsyncQueryLog;
import dev.groundwork.server.GroundworkServer;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
    "Every answer is logged in .groundwork/groundwork.db (or store.url). Ctrl-C finishes in-flight requests.",
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

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  /** Set by tests to stop the server; the command otherwise runs until the process is stopped. */
  static volatile CountDownLatch stopSignal;

  @Override
  public Integer call() throws Exception {
    ProjectConfig cfg = modelFlags.config(project);
    PrintStream err = Main.err(spec);
    try (LiveProject live = new LiveProject(Project.open(project.root(), cfg, true), line -> {
          err.println(line);
          err.flush();
        }); AsyncQueryLog log = new AsyncQueryLog(live.project().queryLog(), 10_000)) {
      Project p = live.project();
      p.requireIndex();
      var answering = live.answering();
      GroundworkServer server = GroundworkServer.builder().answering(answering).documents(live.documents()).evals(live.evals()).queryLog(log)
          .keys(p.keys())
          .auth(!noAuth).host(host).port(port)
          .rateLimits(p.config().server().requestsPerMinute(), p.config().server().tokensPerMinute())
          .allowedOrigins(p.config().server().allowedOrigins())
          .maxBodyBytes((long) p.config().server().maxBodyMb() << 20).build().start();
      CountDownLatch done = stopSignal != null ? stopSignal : new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        server.stop();
        done.countDown();
      });
      Runtime.getRuntime().addShutdownHook(hook);
      // model flags pin the models for this run: a reload of the file would drop them
      if (modelFlags.model == null && modelFlags.fallbacks == null && modelFlags.baseUrl == null && modelFlags.apiKey == null) {
        live.watch(java.time.Duration.ofSeconds(1));
      }
      err.printf("groundwork: serving %s on http://%s:%d (models: %s; auth %s)%n", p.root(), host, server.port(),
          String.join(", ", answering.models()), noAuth ? "off" : "on");
      err.flush();
      done.await();
      server.stop();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down
      }
      return Main.OK;
    }
  }
}
