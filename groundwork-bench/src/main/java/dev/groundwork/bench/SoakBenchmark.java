package dev.groundwork.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.core.metrics.RetrievalMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A long mixed load against one running server: chat (answered from the documents), streamed chat,
 * the gateway path (a model asked directly), search, document uploads and, once a minute, a suite run,
 * from several clients at once for a set time. Per interval it records requests, errors, latency
 * percentiles and what the sampler reports (heap, file descriptors, threads); it keeps every query id
 * a client received, for the caller to look up in the log. Client side only: it speaks HTTP.
 */
public final class SoakBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The server's own figures at a moment: heap after a collection (MB), open file descriptors, threads. */
  public record Sample(double heapMb, long fds, int threads) {}

  /** One interval of the run. */
  public record Interval(int minute, long requests, long errors, double p50Ms, double p99Ms, Sample sample) {}

  /**
   * @param errors by operation and cause, e.g. {@code chat: 503}
   * @param queryIds every query id a client received in a complete answer
   */
  public record Result(List<Interval> intervals, long requests, Map<String, Long> errors, Map<String, Long> byOperation, List<String> queryIds,
      int evalRuns) {}

  /**
   * @param gatewayModel the model the gateway path asks directly (null: no gateway requests)
   * @param questions asked in turn by chat, stream and search
   */
  public static Result run(URI base, Duration length, Duration interval, int clients, String gatewayModel, List<String> questions,
      Supplier<Sample> sampler, Consumer<Interval> onInterval) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    long end = System.nanoTime() + length.toNanos();
    List<Double> window = Collections.synchronizedList(new ArrayList<>());
    AtomicLong windowErrors = new AtomicLong();
    AtomicLong total = new AtomicLong();
    Map<String, Long> errors = new ConcurrentHashMap<>();
    Map<String, Long> byOp = new ConcurrentHashMap<>();
    List<String> ids = Collections.synchronizedList(new ArrayList<>());
    AtomicLong evals = new AtomicLong();
    AtomicLong nextEval = new AtomicLong(System.nanoTime() + Duration.ofSeconds(30).toNanos());
    List<Thread> workers = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      workers.add(Thread.ofVirtual().start(() -> {
        Random r = new Random(client);
        int n = 0;
        while (System.nanoTime() < end) {
          String q = questions.get((client + n++) % questions.size());
          String op;
          long now = System.nanoTime();
          if (client == 0 && now > nextEval.get()) {
            op = "eval";
            nextEval.set(now + Duration.ofSeconds(60).toNanos());
          } else {
            int roll = r.nextInt(100);
            op = roll < 40 ? "chat" : roll < 60 ? "stream" : roll < 70 && gatewayModel != null ? "gateway" : roll < 92 ? "search" : "ingest";
          }
          long t0 = System.nanoTime();
          String failure;
          try {
            failure = call(http, base, op, q, gatewayModel, client, n, ids);
          } catch (IOException e) {
            failure = e.getClass().getSimpleName();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          double ms = (System.nanoTime() - t0) / 1e6;
          total.incrementAndGet();
          byOp.merge(op, 1L, Long::sum);
          if (op.equals("eval") && failure == null) evals.incrementAndGet();
          if (failure != null) {
            errors.merge(op + ": " + failure, 1L, Long::sum);
            windowErrors.incrementAndGet();
          } else if (!op.equals("eval")) {
            window.add(ms); // a suite run takes seconds by design: kept out of the request latencies
          }
        }
      }));
    }
    List<Interval> intervals = new ArrayList<>();
    long lastTotal = 0;
    for (int i = 1; System.nanoTime() < end; i++) {
      long wake = Math.min(end, System.nanoTime() + interval.toNanos());
      while (System.nanoTime() < wake) Thread.sleep(Math.max(1, Math.min(500, (wake - System.nanoTime()) / 1_000_000)));
      List<Double> lat;
      synchronized (window) {
        lat = new ArrayList<>(window);
        window.clear();
      }
      long t = total.get();
      Interval in = new Interval(i, t - lastTotal, windowErrors.getAndSet(0), lat.isEmpty() ? Double.NaN : RetrievalMetrics.percentile(lat, 50),
          lat.isEmpty() ? Double.NaN : RetrievalMetrics.percentile(lat, 99), sampler.get());
      lastTotal = t;
      intervals.add(in);
      onInterval.accept(in);
    }
    for (Thread w : workers) w.join(Duration.ofMinutes(5));
    return new Result(intervals, total.get(), new TreeMap<>(errors), new TreeMap<>(byOp), List.copyOf(ids), (int) evals.get());
  }

  /** One request; null when it succeeded, else why it failed ("503", "incomplete stream", ...). */
  private static String call(HttpClient http, URI base, String op, String q, String gatewayModel, int client, int n, List<String> ids)
      throws IOException, InterruptedException {
    HttpRequest.Builder b;
    switch (op) {
      case "chat", "stream", "gateway" -> {
        boolean stream = op.equals("stream");
        String body = op.equals("gateway")
            ? "{\"model\": " + JSON.writeValueAsString(gatewayModel) + ", \"groundwork\": {\"retrieve\": false}, \"messages\": [{\"role\": \"user\", \"content\": "
                + JSON.writeValueAsString(q) + "}]}"
            : "{\"stream\": " + stream + ", \"messages\": [{\"role\": \"user\", \"content\": " + JSON.writeValueAsString(q) + "}]}";
        b = post(base.resolve("/v1/chat/completions"), body);
      }
      case "search" -> b = HttpRequest.newBuilder(base.resolve("/api/search?k=5&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)));
      case "ingest" -> {
        // a bounded set of uploads, replaced over and over: the index must not grow without end
        String name = "soak-" + client + "-" + (n % 5) + ".md";
        String text = "# Soak note " + n + "\n\nClient " + client + " wrote this note, revision " + n + ", about " + q + "\n";
        b = post(base.resolve("/api/ingest"), JSON.writeValueAsString(Map.of("name", name, "text", text)));
      }
      case "eval" -> b = post(base.resolve("/api/evals"), "{\"suite\": \"suites\"}");
      default -> throw new IllegalArgumentException(op);
    }
    HttpResponse<String> r = http.send(b.timeout(Duration.ofMinutes(op.equals("eval") ? 10 : 1)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) return String.valueOf(r.statusCode());
    if (!op.equals("chat") && !op.equals("stream") && !op.equals("gateway")) return null;
    String id = queryId(r.body());
    if (id == null) return "incomplete answer";
    ids.add(id);
    return null;
  }

  private static HttpRequest.Builder post(URI uri, String body) {
    return HttpRequest.newBuilder(uri).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
  }

  /** The query id of a whole answer: a completion's, or a stream's last event's when it ended with [DONE]. */
  public static String queryId(String body) throws IOException {
    if (!body.startsWith("data:")) {
      JsonNode g = JSON.readTree(body).path("groundwork");
      return g.hasNonNull("query_id") ? g.get("query_id").asText() : null;
    }
    if (!body.strip().endsWith("data: [DONE]")) return null;
    String id = null;
    for (String line : body.split("\n")) {
      if (!line.startsWith("data: {")) continue;
      JsonNode g = JSON.readTree(line.substring(6)).path("groundwork");
      if (g.hasNonNull("query_id")) id = g.get("query_id").asText();
    }
    return id;
  }
}
