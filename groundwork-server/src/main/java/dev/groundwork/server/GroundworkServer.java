package dev.groundwork.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.core.Answer;
import dev.groundwork.core.Citation;
import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.log.KeyStore;
import dev.groundwork.core.log.QueryLog;
import dev.groundwork.core.model.ModelException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The HTTP server. Requests run on virtual threads. Every endpoint except {@code /health} needs an
 * API key ({@code Authorization: Bearer gw_...}) unless auth is off, which is allowed on a loopback
 * address only. Every answer, and every failed question, is written to the query log. Errors use
 * OpenAI's {@code {"error": {...}}} shape everywhere. {@link #stop()} lets in-flight requests finish.
 */
public final class GroundworkServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY_ID = "groundwork.key";
  private static final java.util.Set<String> ROUTES = java.util.Set.of("/", "/api/ingest", "/api/evals", "/api/evals/compare", "/health", "/ready", "/metrics", "/v1/models", "/v1/chat/completions",
      "/v1/embeddings", "/api/search", "/api/ask", "/api/feedback", "/api/queries");

  /** The web console: one self-contained page (no CDN), bundled in the jar. */
  static final String CONSOLE = resource("/console/index.html");

  private final Answering answering;
  private final Documents documents;
  private final Evals evals;
  private final QueryLog log;
  private final KeyStore keys;
  private final boolean auth;
  private final Clock clock;
  private final Metrics metrics = new Metrics();
  private final int defaultK;
  private final RateLimiter limits;
  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean draining;
  private final Javalin app;

  private GroundworkServer(Builder b) {
    this.answering = b.answering;
    this.documents = b.documents;
    this.evals = b.evals;
    this.log = b.log;
    this.keys = b.keys;
    this.auth = b.auth;
    this.clock = b.clock;
    this.defaultK = b.defaultK;
    this.limits = new RateLimiter(b.requestsPerMinute, b.tokensPerMinute, b.clock);
    this.app = Javalin.create(config -> {
      config.concurrency.useVirtualThreads = true;
      config.http.maxRequestSize = b.maxBodyBytes;
      // our own connector, for a deep accept queue: hundreds of clients connecting at once would
      // overflow the default one and wait out SYN retransmits
      config.jetty.addConnector((server, http) -> {
        org.eclipse.jetty.server.ServerConnector c = new org.eclipse.jetty.server.ServerConnector(server,
            new org.eclipse.jetty.server.HttpConnectionFactory(http));
        c.setHost(b.host);
        c.setPort(b.port);
        c.setAcceptQueueSize(4096);
        return c;
      });
      config.startup.showJavalinBanner = false;
      config.routes.before(this::authenticate);
      config.routes.get("/", ctx -> ctx.contentType("text/html; charset=utf-8").header("Content-Security-Policy",
          "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'").result(CONSOLE));
      config.routes.get("/health", ctx -> json(ctx, 200, Map.of("status", "ok")));
      config.routes.get("/ready", ctx -> json(ctx, answering.ready() ? 200 : 503, Map.of("status", answering.ready() ? "ready" : "not ready")));
      config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.render()));
      config.routes.get("/v1/models", counted(this::models));
      config.routes.post("/v1/chat/completions", counted(this::chat));
      config.routes.post("/v1/embeddings", counted(this::embeddings));
      config.routes.get("/api/search", counted(this::search));
      config.routes.post("/api/ask", counted(this::ask));
      config.routes.post("/api/feedback", counted(this::feedback));
      config.routes.get("/api/queries", counted(this::queries));
      config.routes.post("/api/ingest", counted(this::ingest));
      config.routes.get("/api/evals", ctx -> json(ctx, 200, Map.of("runs", evals().runs())));
      config.routes.post("/api/evals", counted(ctx -> {
        String suite = body(ctx).path("suite").asText("");
        if (suite.isBlank()) throw new BadRequest("'suite' is required: a suite file or folder in the project");
        json(ctx, 200, Map.of("runs", evals().start(suite)));
      }));
      config.routes.get("/api/evals/compare", ctx -> {
        String a = ctx.queryParam("before");
        String c = ctx.queryParam("after");
        if (a == null || c == null) throw new BadRequest("query parameters before and after (run ids) are required");
        json(ctx, 200, evals().compare(a, c));
      });
      config.routes.get("/api/evals/{id}", ctx -> json(ctx, 200, evals().get(ctx.pathParam("id"))));
      config.routes.delete("/api/documents/<id>", counted(this::deleteDocument));
      config.routes.after(ctx -> metrics.request(ROUTES.contains(ctx.path()) ? ctx.path() : "other", ctx.statusCode(),
          (System.nanoTime() - (long) Objects.requireNonNullElse(ctx.attribute("t0"), System.nanoTime())) / 1e6));
      config.routes.exception(Exception.class, (e, ctx) -> {
        metrics.error("internal");
        json(ctx, 500, OpenAiShapes.error("internal error: " + e.getClass().getSimpleName(), "server_error", null));
      });
      config.routes.exception(Unsupported.class, (e, ctx) -> json(ctx, 415, OpenAiShapes.error(e.getMessage(), "invalid_request_error", "unsupported_content")));
      config.routes.exception(BadRequest.class, (e, ctx) -> json(ctx, 400, OpenAiShapes.error(e.getMessage(), "invalid_request_error", null)));
      config.routes.exception(IllegalArgumentException.class, (e, ctx) -> json(ctx, 400, OpenAiShapes.error(e.getMessage(), "invalid_request_error", null)));
      config.routes.exception(NoSuchElementException.class, (e, ctx) -> json(ctx, 404, OpenAiShapes.error(e.getMessage(), "invalid_request_error", "not_found")));
      config.routes.exception(ModelException.class, (e, ctx) -> {
        metrics.error(e.kind().name().toLowerCase());
        int status = e.kind() == ModelException.Kind.RATE_LIMITED ? 429 : e.kind() == ModelException.Kind.TIMEOUT ? 504 : 502;
        json(ctx, status, OpenAiShapes.error("the model failed: " + e.getMessage(), "upstream_error", e.kind().name().toLowerCase()));
      });
      config.routes.error(404, ctx -> {
        if (ctx.result() == null && ctx.attribute(WRITTEN) == null) json(ctx, 404, OpenAiShapes.error("no such endpoint: " + ctx.method() + " " + ctx.path(), "invalid_request_error", "not_found"));
      });
    });
    if (!auth && !isLoopback(b.host)) throw new IllegalArgumentException("--no-auth is allowed on a loopback address only (got --host " + b.host + ")");
  }

  public static Builder builder() {
    return new Builder();
  }

  public GroundworkServer start() {
    app.start();
    return this;
  }

  public int port() {
    return app.port();
  }

  /** {@code h}, counted as in flight while it runs, so that {@link #stop()} can wait for it. */
  private io.javalin.http.Handler counted(io.javalin.http.Handler h) {
    return ctx -> {
      inFlight.incrementAndGet();
      try {
        h.handle(ctx);
      } finally {
        inFlight.decrementAndGet();
      }
    };
  }

  /**
   * Drains and closes: new requests get 503 from now on, requests in flight finish (up to 30 s), then
   * the server stops.
   */
  public void stop() {
    draining = true;
    long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (inFlight.get() > 0 && System.nanoTime() < end) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    app.stop();
  }

  @Override
  public void close() {
    stop();
  }

  static boolean isLoopback(String host) {
    return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
  }

  private void authenticate(Context ctx) {
    ctx.attribute("t0", System.nanoTime());
    if (draining) {
      json(ctx, 503, OpenAiShapes.error("the server is shutting down", "server_error", "shutting_down"));
      ctx.skipRemainingHandlers();
      return;
    }

    // the console page holds no data (its calls carry the key); health is for load balancers
    if (!auth || ctx.path().equals("/health") || ctx.path().equals("/")) return;
    String h = ctx.header("Authorization");
    String token = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).strip() : null;
    Optional<KeyStore.Key> key = token == null ? Optional.empty() : keys.verify(token);
    if (key.isEmpty()) {
      metrics.error("auth");
      json(ctx, 401, OpenAiShapes.error(token == null ? "Missing API key: send Authorization: Bearer <key> (create one with `groundwork keys create`)"
          : "Incorrect API key provided", "invalid_request_error", "invalid_api_key"));
      ctx.skipRemainingHandlers();
      return;
    }
    ctx.attribute(KEY_ID, key.get().id());
    java.time.Duration wait = limits.acquire(key.get().id());
    if (wait != null) {
      metrics.error("rate_limited");
      long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
      ctx.header("Retry-After", String.valueOf(seconds));
      json(ctx, 429, OpenAiShapes.error("Rate limit reached for this key; retry after " + seconds + " s", "requests", "rate_limit_exceeded"));
      ctx.skipRemainingHandlers();
    }
  }

  private void models(Context ctx) {
    List<Map<String, Object>> data = new ArrayList<>();
    for (String m : answering.models()) data.add(Map.of("id", m, "object", "model", "created", 0, "owned_by", "groundwork"));
    json(ctx, 200, Map.of("object", "list", "data", data));
  }

  private JsonNode body(Context ctx) {
    try {
      JsonNode n = JSON.readTree(ctx.bodyAsBytes()); // bytes: JSON is UTF-8, and decoding to a String first cost time per request
      if (n == null || !n.isObject()) throw new BadRequest("the body must be a JSON object");
      return n;
    } catch (IOException e) {
      throw new BadRequest("the body is not valid JSON: " + e.getMessage());
    }
  }

  private String model(JsonNode body) {
    String m = body.path("model").asText("");
    if (m.isEmpty()) return answering.models().get(0);
    if (!answering.models().contains(m)) throw new NoSuchElementException("The model '" + m + "' does not exist; available: " + String.join(", ", answering.models()));
    return m;
  }

  /** The last user message's text (a string, or the text parts of a content array). */
  static String lastUserMessage(JsonNode body) {
    JsonNode msgs = body.path("messages");
    if (!msgs.isArray() || msgs.isEmpty()) throw new BadRequest("'messages' must be a non-empty array");
    for (int i = msgs.size() - 1; i >= 0; i--) {
      JsonNode m = msgs.get(i);
      if (!"user".equals(m.path("role").asText())) continue;
      JsonNode c = m.path("content");
      if (c.isTextual()) return c.asText();
      if (c.isArray()) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : c) if ("text".equals(part.path("type").asText())) sb.append(part.path("text").asText()).append(' ');
        if (!sb.isEmpty()) return sb.toString().strip();
      }
      throw new BadRequest("the last user message has no text content");
    }
    throw new BadRequest("'messages' has no user message to answer");
  }

  private int k(JsonNode body) {
    int k = body.path("groundwork").path("k").asInt(defaultK);
    if (k < 1 || k > 50) throw new BadRequest("groundwork.k must be in 1..50, got " + k);
    return k;
  }

  private void chat(Context ctx) throws IOException {
    JsonNode body = body(ctx);
    String question = lastUserMessage(body);
    String model = model(body);
    String id = "chatcmpl-" + hex(12);
    long created = clock.instant().getEpochSecond();
    if (!body.path("groundwork").path("retrieve").asBoolean(true)) {
      forward(ctx, body, model, question, id, created);
      return;
    }
    int k = k(body);
    if (!body.path("stream").asBoolean(false)) {
      Answer a = answer(ctx, model, question, k, null);
      json(ctx, 200, OpenAiShapes.completion(id, created, model, a, ctx.attribute("groundwork.query")));
      return;
    }
    boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
    ctx.contentType("text/event-stream");
    ctx.header("Cache-Control", "no-cache");
    ctx.header("X-Accel-Buffering", "no");
    OutputStream out = ctx.outputStream();
    send(out, OpenAiShapes.chunk(id, created, model, Map.of("role", "assistant", "content", ""), null));
    Answer a;
    try {
      a = answer(ctx, model, question, k, token -> {
        try {
          send(out, OpenAiShapes.chunk(id, created, model, Map.of("content", token), null));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e); // the client went away
        }
      });
    } catch (ModelException e) {
      metrics.error(e.kind().name().toLowerCase());
      send(out, OpenAiShapes.error("the model failed: " + e.getMessage(), "upstream_error", e.kind().name().toLowerCase()));
      out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      return;
    }
    Map<String, Object> last = OpenAiShapes.chunk(id, created, model, Map.of(), "stop");
    last.put("groundwork", OpenAiShapes.extension(ctx.attribute("groundwork.query"), a));
    send(out, last);
    if (includeUsage) {
      Map<String, Object> u = OpenAiShapes.chunk(id, created, model, Map.of(), null);
      u.put("choices", List.of());
      u.put("usage", OpenAiShapes.usage(a));
      send(out, u);
    }
    out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** An OpenAI request as a chat request: messages (text parts), tool calls and results, tools, response format. */
  static dev.groundwork.core.model.ChatRequest toChatRequest(JsonNode body) {
    List<dev.groundwork.core.model.ChatMessage> msgs = new ArrayList<>();
    for (JsonNode m : body.path("messages")) {
      String text = m.path("content").isTextual() ? m.path("content").asText() : "";
      if (m.path("content").isArray()) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : m.path("content")) if ("text".equals(part.path("type").asText())) sb.append(part.path("text").asText());
        text = sb.toString();
      }
      String role = m.path("role").asText();
      msgs.add(switch (role) {
        case "system", "developer" -> dev.groundwork.core.model.ChatMessage.system(text);
        case "user" -> dev.groundwork.core.model.ChatMessage.user(text);
        case "assistant" -> {
          List<dev.groundwork.core.model.ToolCall> calls = new ArrayList<>();
          for (JsonNode c : m.path("tool_calls")) {
            calls.add(new dev.groundwork.core.model.ToolCall(c.path("id").asText(), c.path("function").path("name").asText(),
                c.path("function").path("arguments").asText("{}")));
          }
          yield new dev.groundwork.core.model.ChatMessage(dev.groundwork.core.model.ChatMessage.Role.ASSISTANT, text, calls, null);
        }
        case "tool" -> {
          String callId = m.path("tool_call_id").asText("");
          if (callId.isEmpty()) throw new BadRequest("a tool message needs tool_call_id");
          yield dev.groundwork.core.model.ChatMessage.tool(callId, text);
        }
        default -> throw new BadRequest("unsupported message role '" + role + "' (system, developer, user, assistant, tool)");
      });
    }
    List<dev.groundwork.core.model.ToolSpec> tools = new ArrayList<>();
    for (JsonNode t : body.path("tools")) {
      JsonNode f = t.path("function");
      if (!"function".equals(t.path("type").asText()) || !f.hasNonNull("name")) throw new BadRequest("tools must be {type: function, function: {name, ...}}");
      try {
        tools.add(new dev.groundwork.core.model.ToolSpec(f.get("name").asText(), f.path("description").asText(""),
            f.has("parameters") ? f.get("parameters").toString() : null));
      } catch (IllegalArgumentException e) {
        throw new BadRequest(e.getMessage());
      }
    }
    String schema = null;
    JsonNode rf = body.path("response_format");
    if ("json_schema".equals(rf.path("type").asText())) {
      if (!rf.path("json_schema").path("schema").isObject()) throw new BadRequest("response_format.json_schema.schema must be a JSON Schema object");
      schema = rf.path("json_schema").path("schema").toString();
    } else if ("json_object".equals(rf.path("type").asText())) {
      schema = "{\"type\":\"object\"}";
    }
    Double temp = body.hasNonNull("temperature") ? body.get("temperature").asDouble() : null;
    Integer max = body.hasNonNull("max_tokens") ? Integer.valueOf(body.get("max_tokens").asInt())
        : body.hasNonNull("max_completion_tokens") ? Integer.valueOf(body.get("max_completion_tokens").asInt()) : null;
    Long seed = body.hasNonNull("seed") ? body.get("seed").asLong() : null;
    try {
      return new dev.groundwork.core.model.ChatRequest(msgs, temp, max, tools, schema, seed);
    } catch (IllegalArgumentException e) {
      throw new BadRequest(e.getMessage());
    }
  }

  /** The gateway path: the request goes to the model as it is; the reply is logged and metered like an answer. */
  private void forward(Context ctx, JsonNode body, String model, String question, String id, long created) throws IOException {
    dev.groundwork.core.model.ChatRequest req = toChatRequest(body);
    String qid = "q_" + hex(10);
    long t0 = System.nanoTime();
    boolean stream = body.path("stream").asBoolean(false);
    OutputStream out = null;
    if (stream) {
      ctx.contentType("text/event-stream");
      ctx.header("Cache-Control", "no-cache");
      out = ctx.outputStream();
      send(out, OpenAiShapes.chunk(id, created, model, Map.of("role", "assistant", "content", ""), null));
    }
    OutputStream sink = out;
    Answering.Forwarded f;
    try {
      f = answering.forward(model, req, sink == null ? null : token -> {
        try {
          send(sink, OpenAiShapes.chunk(id, created, model, Map.of("content", token), null));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    } catch (RuntimeException e) {
      logFailure(ctx, qid, question, model, t0, e);
      if (sink == null) throw e;
      send(sink, OpenAiShapes.error(e.getMessage(), "upstream_error", null));
      sink.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
      sink.flush();
      return;
    }
    var r = f.response();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    account(ctx, r.usage().inputTokens(), r.usage().outputTokens(), f.costUsd());
    log.record(new QueryLog.Entry(qid, clock.instant(), ctx.attribute(KEY_ID), question, r.text(), false, r.traceOr(model).answeredBy(),
        r.trace() != null && r.trace().fallback(), List.of(), List.of(), List.of(), r.usage().inputTokens(), r.usage().outputTokens(), f.costUsd(),
        ms, null, null));
    Map<String, Object> usage = OpenAiShapes.usage(r.usage().inputTokens(), r.usage().outputTokens());
    Map<String, Object> ext = new LinkedHashMap<>();
    ext.put("query_id", qid);
    ext.put("cost_usd", f.costUsd());
    ext.put("latency_ms", ms);
    ext.put("answered_by", r.traceOr(model).answeredBy());
    if (sink == null) {
      Map<String, Object> c = OpenAiShapes.completion(id, created, model, r.text(), r.finishReason() == null ? "stop" : r.finishReason(), usage, ext);
      if (!r.toolCalls().isEmpty()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> msg = (Map<String, Object>) ((Map<String, Object>) ((List<?>) c.get("choices")).get(0)).get("message");
        msg.put("tool_calls", toolCalls(r.toolCalls(), false));
        if (r.text().isEmpty()) msg.put("content", null);
      }
      json(ctx, 200, c);
      return;
    }
    if (!r.toolCalls().isEmpty()) {
      // the model streamed its tool calls; they go out whole, in one delta, as OpenAI clients accept
      send(sink, OpenAiShapes.chunk(id, created, model, Map.of("tool_calls", toolCalls(r.toolCalls(), true)), null));
    }
    Map<String, Object> last = OpenAiShapes.chunk(id, created, model, Map.of(), r.finishReason() == null ? "stop" : r.finishReason());
    last.put("groundwork", ext);
    send(sink, last);
    if (body.path("stream_options").path("include_usage").asBoolean(false)) {
      Map<String, Object> u = OpenAiShapes.chunk(id, created, model, Map.of(), null);
      u.put("choices", List.of());
      u.put("usage", usage);
      send(sink, u);
    }
    sink.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    sink.flush();
  }

  /** Tool calls in OpenAI's shape; a stream's delta numbers them with {@code index}. */
  private static List<Map<String, Object>> toolCalls(List<dev.groundwork.core.model.ToolCall> calls, boolean indexed) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (var call : calls) {
      Map<String, Object> c = new LinkedHashMap<>();
      if (indexed) c.put("index", out.size());
      c.put("id", call.id());
      c.put("type", "function");
      c.put("function", Map.of("name", call.name(), "arguments", call.argumentsJson()));
      out.add(c);
    }
    return out;
  }

  private static void send(OutputStream out, Object event) throws IOException {
    out.write(("data: " + JSON.writeValueAsString(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Meters an answer's tokens and cost, and charges them to the key's rate limit. */
  private void account(Context ctx, long in, long out, Double cost) {
    metrics.answered(in, out, cost);
    String keyId = ctx.attribute(KEY_ID);
    if (keyId != null) limits.charge(keyId, in + out);
  }

  /** Logs a question that failed, with its error. */
  private void logFailure(Context ctx, String qid, String question, String model, long t0, RuntimeException e) {
    log.record(new QueryLog.Entry(qid, clock.instant(), ctx.attribute(KEY_ID), question, "", false, model, false, List.of(), List.of(), List.of(),
        0, 0, null, (System.nanoTime() - t0) / 1_000_000, null, e.getClass().getSimpleName() + ": " + e.getMessage()));
  }

  /** Answers and logs; a failed question is logged with its error and rethrown. */
  private Answer answer(Context ctx, String model, String question, int k, java.util.function.Consumer<String> onToken) {
    String qid = "q_" + hex(10);
    ctx.attribute("groundwork.query", qid);
    long t0 = System.nanoTime();
    try {
      Answer a = answering.ask(model, question, k, onToken);
      account(ctx, a.usage().inputTokens(), a.usage().outputTokens(), a.costUsd());
      metrics.retrieval(a.retrievalMs());
      List<String> cites = new ArrayList<>();
      for (Citation c : a.citations()) cites.add("[" + c.n() + "] " + c.source());
      log.record(new QueryLog.Entry(qid, clock.instant(), ctx.attribute(KEY_ID), question, a.text(), a.refused(), a.model(),
          a.generation() != null && a.generation().fallback(), a.retrieved().stream().map(ScoredChunk::id).toList(),
          a.retrieved().stream().map(ScoredChunk::score).toList(), cites, a.usage().inputTokens(), a.usage().outputTokens(), a.costUsd(),
          a.latencyMs(), a.generation() == null ? null : a.generation().promptVersion(), null));
      return a;
    } catch (RuntimeException e) {
      logFailure(ctx, qid, question, model, t0, e);
      throw e;
    }
  }

  private void embeddings(Context ctx) {
    JsonNode body = body(ctx);
    JsonNode input = body.path("input");
    List<String> texts = new ArrayList<>();
    if (input.isTextual()) texts.add(input.asText());
    else if (input.isArray()) input.forEach(n -> {
      if (!n.isTextual()) throw new BadRequest("'input' must be a string or an array of strings");
      texts.add(n.asText());
    });
    else throw new BadRequest("'input' must be a string or an array of strings");
    if (texts.isEmpty() || texts.size() > 2048) throw new BadRequest("'input' must hold 1..2048 strings");
    List<float[]> vs = answering.embed(texts);
    List<Map<String, Object>> data = new ArrayList<>();
    for (int i = 0; i < vs.size(); i++) data.add(Map.of("object", "embedding", "index", i, "embedding", vs.get(i)));
    int tokens = texts.stream().mapToInt(t -> dev.groundwork.core.text.Tokens.count(t)).sum();
    json(ctx, 200, Map.of("object", "list", "data", data, "model", answering.embedderName(), "usage", Map.of("prompt_tokens", tokens, "total_tokens", tokens)));
  }

  private void search(Context ctx) {
    String q = ctx.queryParam("q");
    if (q == null || q.isBlank()) throw new BadRequest("query parameter q is required");
    int k = intParam(ctx, "k", 10, 1, 100);
    List<Map<String, Object>> hits = new ArrayList<>();
    int rank = 1;
    for (ScoredChunk h : answering.search(q, k)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("rank", rank++);
      m.put("chunk_id", h.id());
      m.put("score", h.score());
      m.put("source", h.chunk().source());
      m.put("heading", h.chunk().heading());
      m.put("text", h.chunk().text());
      hits.add(m);
    }
    json(ctx, 200, Map.of("query", q, "hits", hits));
  }

  private void ask(Context ctx) {
    JsonNode body = body(ctx);
    String question = body.path("question").asText("");
    if (question.isBlank()) throw new BadRequest("'question' is required");
    String model = model(body);
    int k = body.path("k").asInt(defaultK);
    if (k < 1 || k > 50) throw new BadRequest("k must be in 1..50, got " + k);
    Answer a = answer(ctx, model, question, k, null);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("query_id", ctx.attribute("groundwork.query"));
    m.putAll(answering.describe(question, a));
    json(ctx, 200, m);
  }

  private void feedback(Context ctx) {
    JsonNode body = body(ctx);
    String id = body.path("query_id").asText("");
    if (id.isBlank()) throw new BadRequest("'query_id' is required");
    String corrected = body.hasNonNull("corrected_answer") ? body.get("corrected_answer").asText() : null;
    String comment = body.hasNonNull("comment") ? body.get("comment").asText() : null;
    log.feedback(new QueryLog.Feedback(id, body.path("rating").asText(""), corrected, comment, clock.instant()));
    json(ctx, 200, Map.of("status", "recorded", "query_id", id));
  }

  private void queries(Context ctx) {
    Boolean refused = ctx.queryParam("refused") == null ? null : Boolean.parseBoolean(ctx.queryParam("refused"));
    QueryLog.Query q = new QueryLog.Query(instant(ctx, "from"), instant(ctx, "to"), ctx.queryParam("model"), ctx.queryParam("feedback"), refused,
        intParam(ctx, "limit", 50, 1, 1000), intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE));
    List<Map<String, Object>> out = new ArrayList<>();
    for (QueryLog.Logged l : log.list(q)) {
      QueryLog.Entry e = l.entry();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", e.id());
      m.put("time", e.time().toString());
      m.put("key_id", e.keyId());
      m.put("question", e.question());
      m.put("answer", e.answer());
      m.put("refused", e.refused());
      m.put("model", e.model());
      m.put("fallback", e.fallback());
      m.put("retrieved", e.retrieved());
      m.put("scores", e.scores());
      m.put("citations", e.citations());
      m.put("input_tokens", e.inputTokens());
      m.put("output_tokens", e.outputTokens());
      m.put("cost_usd", e.costUsd());
      m.put("latency_ms", e.latencyMs());
      m.put("prompt_version", e.promptVersion());
      m.put("error", e.error());
      m.put("feedback", l.feedback() == null ? null : Map.of("rating", l.feedback().rating(), "corrected_answer",
          Objects.requireNonNullElse(l.feedback().correctedAnswer(), ""), "comment", Objects.requireNonNullElse(l.feedback().comment(), "")));
      out.add(m);
    }
    json(ctx, 200, Map.of("queries", out, "limit", q.limit(), "offset", q.offset()));
  }

  private static Instant instant(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null) return null;
    try {
      return Instant.parse(v);
    } catch (java.time.format.DateTimeParseException e) {
      throw new BadRequest(name + " must be an ISO-8601 instant like 2026-11-25T10:00:00Z, got '" + v + "'");
    }
  }

  private static int intParam(Context ctx, String name, int def, int min, int max) {
    String v = ctx.queryParam(name);
    if (v == null) return def;
    try {
      int i = Integer.parseInt(v);
      if (i < min || i > max) throw new BadRequest(name + " must be in " + min + ".." + max + ", got " + v);
      return i;
    } catch (NumberFormatException e) {
      throw new BadRequest(name + " must be a whole number, got '" + v + "'");
    }
  }

  /**
   * Writes a JSON body straight to the response: Javalin's result pipeline would copy it through a
   * fresh buffer per request, which showed in the gateway's allocation profile.
   */
  private static final String WRITTEN = "groundwork.written";

  private static void json(Context ctx, int status, Object body) {
    try {
      byte[] bytes = JSON.writeValueAsBytes(body);
      ctx.status(status).contentType("application/json");
      ctx.res().setContentLength(bytes.length);
      ctx.res().getOutputStream().write(bytes);
      ctx.attribute(WRITTEN, Boolean.TRUE);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write the response: " + e.getMessage(), e);
    }
  }

  private static String resource(String name) {
    try (var in = GroundworkServer.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("missing resource " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Content the server does not take (binary, or not what its name says), answered with 415. */
  static final class Unsupported extends RuntimeException {
    Unsupported(String message) {
      super(message);
    }
  }

  /** An upload (multipart field {@code file}) or JSON {@code {"name", "text"}}; the type comes from the bytes. */
  private void ingest(Context ctx) {
    if (documents == null) throw new BadRequest("this server does not take documents");
    String name;
    byte[] bytes;
    String type = Objects.requireNonNullElse(ctx.contentType(), "");
    if (type.startsWith("multipart/form-data")) {
      var file = ctx.uploadedFile("file");
      if (file == null) throw new BadRequest("multipart upload needs a 'file' field");
      name = file.filename();
      try (var in = file.content()) {
        bytes = in.readAllBytes();
      } catch (IOException e) {
        throw new BadRequest("cannot read the upload: " + e.getMessage());
      }
    } else {
      JsonNode body = body(ctx);
      name = body.path("name").asText("");
      if (!body.path("text").isTextual()) throw new BadRequest("JSON uploads need 'name' and 'text' (or send multipart/form-data with a 'file')");
      bytes = body.path("text").asText().getBytes(StandardCharsets.UTF_8);
    }
    name = name.replace('\\', '/');
    name = name.substring(name.lastIndexOf('/') + 1).strip();
    if (name.isEmpty() || name.startsWith(".") || !name.matches("[\\w .()+-]{1,200}")) {
      throw new BadRequest("the file name must be 1..200 letters, digits, spaces or . _ ( ) + -, got '" + name + "'");
    }
    if (bytes.length == 0) throw new BadRequest(name + ": empty upload");
    Documents.Ingested r = documents.ingest(name, ContentTypes.detect(name, bytes), bytes);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("document_id", r.documentId());
    m.put("chunks", r.chunks());
    m.put("replaced", r.replaced());
    m.put("skipped", r.skipped());
    json(ctx, r.skipped() == null ? 200 : 422, m);
  }

  private Evals evals() {
    if (evals == null) throw new BadRequest("this server does not run evals");
    return evals;
  }

  private void deleteDocument(Context ctx) {
    if (documents == null) throw new BadRequest("this server does not take documents");
    String id = ctx.pathParam("id");
    if (!documents.delete(id)) throw new NoSuchElementException("no document " + id + " in the index");
    json(ctx, 200, Map.of("deleted", id));
  }

  /** A client error, answered with 400 and its message. */
  static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message);
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
    private int defaultK = 8;
    private Clock clock = Clock.systemUTC();
    private int requestsPerMinute;
    private int tokensPerMinute;

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

    public Builder defaultK(int k) {
      this.defaultK = k;
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
      return new GroundworkServer(this);
    }
  }
}
