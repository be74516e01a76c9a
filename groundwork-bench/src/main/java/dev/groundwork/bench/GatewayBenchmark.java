package dev.groundwork.bench;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP load for the gateway benchmark: {@code clients} concurrent clients (virtual threads) each send
 * {@code requests} requests one after another; the latency of each is from sending to the last byte
 * of the response. Also holds many streams open at once. Stateless.
 */
public final class GatewayBenchmark {
  /**
   * Latency percentiles in milliseconds.
   *
   * @param errors requests that failed or did not answer 200
   */
  public record Latency(double p50, double p99, int ok, int errors) {}

  private GatewayBenchmark() {}

  public static Latency load(HttpClient http, URI url, String body, int clients, int requests) throws InterruptedException {
    List<Double> ms = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger errors = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(clients);
    for (int c = 0; c < clients; c++) {
      Thread.ofVirtual().start(() -> {
        try {
          for (int i = 0; i < requests; i++) {
            long t0 = System.nanoTime();
            if (send(http, url, body)) ms.add((System.nanoTime() - t0) / 1e6);
            else errors.incrementAndGet();
          }
        } finally {
          done.countDown();
        }
      });
    }
    done.await();
    List<Double> sorted;
    synchronized (ms) {
      sorted = new ArrayList<>(ms);
    }
    Collections.sort(sorted);
    return new Latency(percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.size(), errors.get());
  }

  /** Opens {@code n} requests at once and waits for all; returns how many completed with 200. */
  public static int concurrent(HttpClient http, URI url, String body, int n) throws InterruptedException {
    AtomicInteger ok = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      Thread.ofVirtual().start(() -> {
        try {
          if (send(http, url, body)) ok.incrementAndGet();
        } finally {
          done.countDown();
        }
      });
    }
    done.await();
    return ok.get();
  }

  private static boolean send(HttpClient http, URI url, String body) {
    try {
      HttpRequest req = HttpRequest.newBuilder(url).header("Content-Type", "application/json").header("Authorization", "Bearer bench")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
      HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
      return r.statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  /** The nearest-rank percentile of sorted values; NaN when empty. */
  static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) return Double.NaN;
    int i = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
