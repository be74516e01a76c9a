package dev.groundwork.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process HTTP server on a random loopback port that answers like an LLM provider. Replies
 * are taken from a script in order (one per request); when the script is empty, {@link #defaultReply}
 * answers. Every request is recorded. Thread-safe; close it to free the port.
 */
public abstract class FakeLlmServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A request as the server received it. */
  public record Recorded(String method, String path, Map<String, List<String>> headers, String body, JsonNode parsed) {
    /** The body parsed once; null when it is not JSON. */
    static Recorded of(String method, String path, Map<String, List<String>> headers, String body) {
      JsonNode n;
      try {
        n = body.isEmpty() ? null : JSON.readTree(body);
      } catch (IOException e) {
        n = null;
      }
      return new Recorded(method, path, headers, body, n);
    }

    /** The body as JSON; an error when it is not JSON. */
    public JsonNode json() {
      if (parsed == null) throw new UncheckedIOException(new IOException("the request body is not JSON: " + body));
      return parsed;
    }

    public String header(String name) {
      for (var e : headers.entrySet()) if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
      return null;
    }
  }

  /** Writes one response. */
  @FunctionalInterface
  public interface Reply {
    void send(RawHttpServer.Response ex, Recorded request) throws IOException;
  }

  private final RawHttpServer server;
  private volatile long delayMs;
  private final Deque<Reply> script = new ConcurrentLinkedDeque<>();
  private volatile java.util.function.Function<Recorded, Reply> responder;
  private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());

  protected FakeLlmServer() {
    server = new RawHttpServer(this::handle);
  }

  /**
   * Replies computed from each request (say, by its {@code model}) when the script is empty; null from
   * {@code f} falls through to the default reply.
   */
  public FakeLlmServer respondWith(java.util.function.Function<Recorded, Reply> f) {
    this.responder = f;
    return this;
  }

  /** Every reply waits this long first (a model's thinking time, for benchmarks). */
  public FakeLlmServer delay(java.time.Duration d) {
    this.delayMs = d.toMillis();
    return this;
  }

  /** The base URL clients are configured with (e.g. {@code http://127.0.0.1:PORT/v1}). */
  public abstract String baseUrl();

  public int port() {
    return server.port();
  }

  /** Adds replies to the end of the script. */
  public FakeLlmServer enqueue(Reply... replies) {
    script.addAll(List.of(replies));
    return this;
  }

  public List<Recorded> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** The last request, or an error when none came. */
  public Recorded lastRequest() {
    List<Recorded> r = requests();
    if (r.isEmpty()) throw new AssertionError("the fake server received no request");
    return r.get(r.size() - 1);
  }

  // --- replies every provider has, in its own wire format ---

  /** A complete answer: JSON, or an event stream when the request asks to stream. */
  public abstract Reply text(String text, int inputTokens, int cachedInputTokens, int outputTokens);

  /** A streamed answer in {@code pieces}; without usage when {@code withUsage} is false. */
  public abstract Reply stream(List<String> pieces, int inputTokens, int outputTokens, boolean withUsage);

  /** A stream that sends {@code pieces} and then drops the connection without finishing. */
  public abstract Reply cutStream(List<String> pieces);

  /** A reply that asks for one tool call. */
  public abstract Reply toolCall(String id, String name, String argumentsJson);

  /** An error in the provider's error shape. {@code kind} is one of the provider's error types. */
  public abstract Reply error(int status, String kind, String message);

  /** 429 with {@code Retry-After: seconds}. */
  public abstract Reply rateLimited(int retryAfterSeconds);

  /** The request's context was too long, as the provider reports it. */
  public abstract Reply contextTooLong();

  /** 200 with a body that is not JSON. */
  public static Reply malformed() {
    return (ex, req) -> respond(ex, 200, "application/json", "{\"id\": \"x\", \"choices\": [ {\"message\": ");
  }

  /** {@code reply} after a delay. */
  public static Reply slow(long millis, Reply reply) {
    return (ex, req) -> {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      reply.send(ex, req);
    };
  }

  /**
   * The reply when the script is empty: a grounded answer that quotes the first line of source [1]
   * and cites it, or the refusal sentence when the prompt has no sources.
   */
  protected Reply defaultReply(Recorded req) {
    String prompt = req.body();
    Matcher m = FIRST_SOURCE_LINE.matcher(prompt.replace("\\n", "\n").replace("\\\"", "\""));
    String answer = m.find() ? "According to the sources, " + m.group(1).strip() + " [1]"
        : "The documents do not contain an answer to this question.";
    return text(answer, Math.max(1, prompt.length() / 4), 0, Math.max(1, answer.length() / 4));
  }

  private static final Pattern FIRST_SOURCE_LINE = Pattern.compile("\\[1] [^\\n]*\\n\\| ([^\\n]{1,200})");

  private void handle(RawHttpServer.Request req, RawHttpServer.Response ex) throws IOException {
    Recorded r = Recorded.of(req.method(), req.path(), Map.copyOf(req.headers()), req.bodyText());
    requests.add(r);
    Reply reply = route(r);
    if (reply == null) reply = script.poll();
    java.util.function.Function<Recorded, Reply> f = responder;
    if (reply == null && f != null) reply = f.apply(r);
    if (reply == null) reply = defaultReply(r);
    if (delayMs > 0) {
      try {
        Thread.sleep(delayMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    reply.send(ex, r);
  }

  /** A reply for paths that are not scripted (a model list, say), or null to use the script. */
  protected Reply route(Recorded r) {
    return null;
  }

  static void respond(RawHttpServer.Response ex, int status, String contentType, String body) throws IOException {
    ex.send(status, contentType, body);
  }

  static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes SSE events one by one, flushing each. A normal stream ends when the connection closes;
   * with {@code cut} the response announces a length it never sends and the connection is reset.
   */
  static void sse(RawHttpServer.Response ex, List<String> events, boolean cut) throws IOException {
    sse(ex, events, cut, 0);
  }

  /** As {@link #sse(RawHttpServer.Response, List, boolean)}, waiting {@code gapMillis} before each event after the first. */
  static void sse(RawHttpServer.Response ex, List<String> events, boolean cut, long gapMillis) throws IOException {
    ex.header("Content-Type", "text/event-stream").header("Cache-Control", "no-cache");
    OutputStream os = ex.start(200, cut ? 1_000_000 : -1);
    for (int i = 0; i < events.size(); i++) {
      if (i > 0 && gapMillis > 0) {
        try {
          Thread.sleep(gapMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted");
        }
      }
      os.write((events.get(i) + "\n\n").getBytes(StandardCharsets.UTF_8));
      os.flush();
    }
    if (cut) ex.cut();
  }

  @Override
  public void close() {
    server.close();
  }
}
