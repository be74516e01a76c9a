package dev.groundwork.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** Counters and latency histograms in the Prometheus text format. Thread-safe. */
final class Metrics {
  static final double[] BUCKETS_MS = {5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000};

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder[]> latency = new ConcurrentHashMap<>();
  private final Map<String, DoubleAdder> latencySum = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final LongAdder inputTokens = new LongAdder();
  private final LongAdder outputTokens = new LongAdder();
  private final DoubleAdder cost = new DoubleAdder();
  private final LongAdder unknownCost = new LongAdder();

  void request(String route, int status, double ms) {
    requests.computeIfAbsent(route + "\u0000" + status, k -> new LongAdder()).increment();
    observe(latency.computeIfAbsent(route, k -> newBuckets()), ms);
    latencySum.computeIfAbsent(route, k -> new DoubleAdder()).add(ms);
  }

  void error(String type) {
    errors.computeIfAbsent(type, k -> new LongAdder()).increment();
  }

  private final LongAdder[] retrievalBuckets = newBuckets();
  private final DoubleAdder retrievalSum = new DoubleAdder();

  private static LongAdder[] newBuckets() {
    LongAdder[] a = new LongAdder[BUCKETS_MS.length + 1];
    for (int i = 0; i < a.length; i++) a[i] = new LongAdder();
    return a;
  }

  private static void observe(LongAdder[] buckets, double ms) {
    int i = 0;
    while (i < BUCKETS_MS.length && ms > BUCKETS_MS[i]) i++;
    buckets[i].increment();
  }

  /** Retrieval time of an answer (query embedding, both rankings, fusion). */
  void retrieval(double ms) {
    observe(retrievalBuckets, ms);
    retrievalSum.add(ms);
  }

  private static void histogram(StringBuilder sb, String name, String labels, LongAdder[] b, double sum) {
    String sep = labels.isEmpty() ? "" : ",";
    long cum = 0;
    for (int i = 0; i < BUCKETS_MS.length; i++) {
      cum += b[i].sum();
      sb.append(name).append("_bucket{").append(labels).append(sep).append("le=\"").append((long) BUCKETS_MS[i]).append("\"} ").append(cum).append('\n');
    }
    cum += b[BUCKETS_MS.length].sum();
    sb.append(name).append("_bucket{").append(labels).append(sep).append("le=\"+Inf\"} ").append(cum).append('\n');
    String l = labels.isEmpty() ? "" : "{" + labels + "}";
    sb.append(name).append("_sum").append(l).append(' ').append(sum).append('\n');
    sb.append(name).append("_count").append(l).append(' ').append(cum).append('\n');
  }

  void answered(long in, long out, Double usd) {
    inputTokens.add(in);
    outputTokens.add(out);
    if (usd == null) unknownCost.increment();
    else cost.add(usd);
  }

  String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("# HELP groundwork_http_requests_total HTTP requests by route and status.\n# TYPE groundwork_http_requests_total counter\n");
    for (var e : new TreeMap<>(requests).entrySet()) {
      String[] rs = e.getKey().split("\u0000");
      sb.append("groundwork_http_requests_total{route=\"").append(rs[0]).append("\",status=\"").append(rs[1]).append("\"} ").append(e.getValue().sum()).append('\n');
    }
    sb.append("# HELP groundwork_http_request_duration_ms Request latency.\n# TYPE groundwork_http_request_duration_ms histogram\n");
    for (var e : new TreeMap<>(latency).entrySet()) {
      histogram(sb, "groundwork_http_request_duration_ms", "route=\"" + e.getKey() + "\"", e.getValue(), latencySum.get(e.getKey()).sum());
    }
    sb.append("# HELP groundwork_retrieval_duration_ms Retrieval time of answers.\n# TYPE groundwork_retrieval_duration_ms histogram\n");
    histogram(sb, "groundwork_retrieval_duration_ms", "", retrievalBuckets, retrievalSum.sum());
    sb.append("# TYPE groundwork_tokens_total counter\n");
    sb.append("groundwork_tokens_total{kind=\"input\"} ").append(inputTokens.sum()).append('\n');
    sb.append("groundwork_tokens_total{kind=\"output\"} ").append(outputTokens.sum()).append('\n');
    sb.append("# TYPE groundwork_cost_usd_total counter\ngroundwork_cost_usd_total ").append(cost.sum()).append('\n');
    sb.append("# TYPE groundwork_unpriced_answers_total counter\ngroundwork_unpriced_answers_total ").append(unknownCost.sum()).append('\n');
    sb.append("# TYPE groundwork_errors_total counter\n");
    for (var e : new TreeMap<>(errors).entrySet()) sb.append("groundwork_errors_total{type=\"").append(e.getKey()).append("\"} ").append(e.getValue().sum()).append('\n');
    return sb.toString();
  }
}
