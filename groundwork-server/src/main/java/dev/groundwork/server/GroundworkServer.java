package dev.groundwork.server;

import dev.groundwork.app.Answering;
import dev.groundwork.app.Documents;
import dev.groundwork.app.Evals;
import dev.groundwork.core.log.KeyStore;
import dev.groundwork.core.log.QueryLog;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server: the route groups ({@link GatewayRoutes}, {@link ProjectRoutes}, {@link EvalRoutes})
 * behind {@link AccessControl}, with one {@link ErrorMapping} and {@link Metrics}. Requests run on
 * platform threads ({@link ServerThreads}). Every answer, and every failed question, is written to the query log. Errors use
 * OpenAI's {@code {"error": {...}}} shape everywhere. {@link #start()} warms the pipeline before the
 * port opens; {@link #stop()} answers every request it has read before it closes.
 */
public final class GroundworkServer implements AutoCloseable {
  private static final Set<String> ROUTES = Set.of("/", "/api/ingest", "/api/evals", "/api/evals/compare", "/health", "/ready", "/metrics",
      "/v1/models", "/v1/chat/completions", "/v1/embeddings", "/api/search", "/api/ask", "/api/feedback", "/api/queries", "/api/cost");

  /** The web console: one self-contained page (no CDN), bundled in the jar. */
  static final String CONSOLE = resource("/console/index.html");

  private final Metrics metrics = new Metrics();
  private final AccessControl access;
  private final Draining draining = new Draining();
  private volatile org.eclipse.jetty.server.ServerConnector connector;
  private final Javalin app;
  private final Answering answering;
  private final Duration grace;
  private final Tracing tracing;
  private final Object stopLock = new Object();
  private boolean stopped;

  private GroundworkServer(Builder b) {
    this.access = new AccessControl(b.keys, b.auth, new RateLimiter(b.requestsPerMinute, b.tokensPerMinute, b.clock), metrics, b.host, this::port,
        b.allowedOrigins);
    QueryRecorder recorder = new QueryRecorder(b.answering, b.log, metrics, access, b.clock);
    GatewayRoutes gateway = new GatewayRoutes(b.answering, recorder, metrics, b.clock);
    ProjectRoutes project = new ProjectRoutes(b.answering, b.documents, recorder, gateway, b.log, b.clock);
    EvalRoutes evals = new EvalRoutes(b.evals);
    ErrorMapping errors = new ErrorMapping(metrics, b.err);
    Answering answering = b.answering;
    this.answering = answering;
    this.grace = b.grace;
    this.tracing = b.otlpEndpoint == null ? Tracing.off() : Tracing.otlp(b.otlpEndpoint);
    Tracing tracing = this.tracing;
    this.app = Javalin.create(config -> {
      config.jetty.threadPool = ServerThreads.pool("groundwork-server");
      config.http.maxRequestSize = b.maxBodyBytes;
      config.http.prefer405over404 = true;
      config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
      // our own connector, for a deep accept queue: hundreds of clients connecting at once would
      // overflow the default one and wait out SYN retransmits
      config.jetty.addConnector((server, http) -> {
        org.eclipse.jetty.server.ServerConnector c = new org.eclipse.jetty.server.ServerConnector(server,
            new org.eclipse.jetty.server.HttpConnectionFactory(http));
        c.setHost(b.host);
        c.setPort(b.port);
        c.setAcceptQueueSize(4096);
        connector = c;
        return c;
      });
      // Javalin puts its handler inside this one: every request is counted, so a stop can wait for all of them
      config.jetty.modifyServer(server -> server.setHandler(draining));
      config.startup.showJavalinBanner = false;
      config.routes.before(tracing::begin);
      config.routes.before(access::check);
      config.routes.get("/", ctx -> ctx.contentType("text/html; charset=utf-8").header("Content-Security-Policy",
          "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'").result(CONSOLE));
      config.routes.get("/health", ctx -> Http.json(ctx, 200, Map.of("status", "ok")));
      config.routes.get("/ready", ctx -> Http.json(ctx, answering.ready() ? 200 : 503, Map.of("status", answering.ready() ? "ready" : "not ready")));
      config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.render()));
      gateway.install(config.routes);
      project.install(config.routes);
      evals.install(config.routes);
      config.routes.after(tracing::end);
      config.routes.after(ctx -> metrics.request(ROUTES.contains(ctx.path()) ? ctx.path() : "other", ctx.statusCode(),
          (System.nanoTime() - (long) Objects.requireNonNullElse(ctx.attribute("t0"), System.nanoTime())) / 1e6));
      errors.install(config.routes);
    });
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Warms the pipeline ({@link Answering#warm}: index, embedder, models) and then opens the port, so
   * that no request waits for a cold start and nothing is built while the process shuts down.
   */
  public GroundworkServer start() {
    answering.warm();
    app.start();
    return this;
  }

  public int port() {
    return app.port();
  }

  /** {@link #stop(Duration)} with the builder's grace period. */
  public boolean stop() {
    return stop(grace);
  }

  /**
   * Stops without dropping a request. From the call on, every new request is answered 503 with
   * {@code Connection: close} (it is not processed); requests already read are answered in full,
   * streams included. Once no request has started for a moment, the listening socket closes (so no
   * connection waiting in the kernel's accept queue is reset with a request in it), and once nothing
   * runs the server closes. Requests still running after {@code grace} are cut. Idempotent.
   *
   * @return whether every request finished within the grace period
   */
  public boolean stop(Duration grace) {
    synchronized (stopLock) {
      if (stopped) return true;
      stopped = true;
      access.drain();
      draining.drain();
      long deadline = System.nanoTime() + grace.toNanos();
      boolean quiet = awaitQuiet(deadline);
      if (connector != null) connector.shutdown(); // stop accepting: new connections are refused from now
      boolean finished = quiet && awaitQuiet(deadline);
      app.stop();
      tracing.close();
      return finished;
    }
  }

  /** Waits until no request runs and none has started for {@link #QUIET_NANOS}; false at the deadline. */
  private boolean awaitQuiet(long deadline) {
    while (System.nanoTime() < deadline) {
      if (draining.active() == 0 && System.nanoTime() - draining.lastStartNanos() > QUIET_NANOS) return true;
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /** How long no request must have started before a draining server closes its connections. */
  private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(150);

  @Override
  public void close() {
    stop();
  }

  private static String resource(String name) {
    try (var in = GroundworkServer.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("missing resource " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Validates in {@link #build()}. */
  public static final class Builder {
    private Answering answering;
    private Documents documents;
    private Evals evals;
    private QueryLog log;
    private KeyStore keys;
    private boolean auth = true;
    private String host = "127.0.0.1";
    private int port = 8080;
    private long maxBodyBytes = 1 << 20;
    private Clock clock = Clock.systemUTC();
    private java.io.PrintStream err = System.err;
    private int requestsPerMinute;
    private int tokensPerMinute;
    private java.util.List<String> allowedOrigins = java.util.List.of();
    private Duration grace = Duration.ofSeconds(30);
    private java.net.URI otlpEndpoint;

    /**
     * Exports a trace per request to this OpenTelemetry collector (OTLP/HTTP base URL, e.g.
     * {@code http://localhost:4318}); null (the default) exports nothing.
     */
    public Builder otlpEndpoint(java.net.URI endpoint) {
      if (endpoint != null && !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
        throw new IllegalArgumentException("the OTLP endpoint must be an http(s) URL, got " + endpoint);
      }
      this.otlpEndpoint = endpoint;
      return this;
    }

    /** How long {@link #stop()} waits for requests in flight (default 30 s). */
    public Builder shutdownGrace(Duration d) {
      if (d.isNegative()) throw new IllegalArgumentException("shutdownGrace must not be negative");
      this.grace = d;
      return this;
    }

    /**
     * Web origins ({@code https://console.example.com}) whose pages may call this keyed server from a
     * browser: they get CORS headers and preflight answers. Others get none.
     */
    public Builder allowedOrigins(java.util.List<String> origins) {
      this.allowedOrigins = java.util.List.copyOf(origins);
      return this;
    }

    /** Per-key limits; 0 means none. Over the limit a request gets 429 with Retry-After. */
    public Builder rateLimits(int requestsPerMinute, int tokensPerMinute) {
      this.requestsPerMinute = requestsPerMinute;
      this.tokensPerMinute = tokensPerMinute;
      return this;
    }

    public Builder answering(Answering a) {
      this.answering = a;
      return this;
    }

    /** Enables {@code POST /api/ingest} and {@code DELETE /api/documents/{id}}; null leaves them off. */
    public Builder documents(Documents d) {
      this.documents = d;
      return this;
    }

    /** Enables the {@code /api/evals} endpoints; null leaves them off. */
    public Builder evals(Evals e) {
      this.evals = e;
      return this;
    }

    public Builder queryLog(QueryLog l) {
      this.log = l;
      return this;
    }

    public Builder keys(KeyStore k) {
      this.keys = k;
      return this;
    }

    /** false turns API keys off (loopback only). */
    public Builder auth(boolean on) {
      this.auth = on;
      return this;
    }

    public Builder host(String h) {
      this.host = h;
      return this;
    }

    /** 0 picks a free port. */
    public Builder port(int p) {
      this.port = p;
      return this;
    }

    public Builder maxBodyBytes(long n) {
      this.maxBodyBytes = n;
      return this;
    }

    /** Where unexpected errors are written, with their id and stack trace (default: stderr). */
    public Builder errorLog(java.io.PrintStream e) {
      this.err = e;
      return this;
    }

    public Builder clock(Clock c) {
      this.clock = c;
      return this;
    }

    public GroundworkServer build() {
      Objects.requireNonNull(answering, "answering");
      Objects.requireNonNull(log, "queryLog");
      if (auth) Objects.requireNonNull(keys, "keys (or auth(false))");
      if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be in 0..65535, got " + port);
      if (maxBodyBytes < 1024) throw new IllegalArgumentException("maxBodyBytes must be >= 1024");
      if (answering.models().isEmpty()) throw new IllegalArgumentException("the server needs at least one model");
      if (!auth) AccessControl.requireLoopback(host);
      return new GroundworkServer(this);
    }
  }
}
