package dev.groundwork.bench;

import dev.groundwork.http.Http1Client;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * HTTP load for the gateway benchmark: {@code clients} concurrent clients (virtual threads) each send
 * {@code requests} requests one after another; the latency of each is from sending to the last byte
 * of the response. Also holds many streams open at once. The clients share one {@link Http1Client}
 * (blocking, keep-alive), so the load generator itself costs little CPU next to what it measures.
 * Stateless.
 */
public final class GatewayBenchmark implements AutoCloseable {
  /**
   * Latency percentiles in milliseconds.
   *
   * @param errors requests that failed or did not answer 200
   * @param cpuMsPerRequest CPU time of the whole process (load generator, server and upstream alike)
   *     per request sent; steadier than latency on a busy machine, and the gateway's own cost is the
   *     difference between two runs
   */
  public record Latency(double p50, double p99, int ok, int errors, double cpuMsPerRequest) {
    /** These latencies with the CPU cost measured elsewhere (the gateway's own process). */
    public Latency withCpuMsPerRequest(double ms) {
      return new Latency(p50, p99, ok, errors, ms);
    }
  }

  /** The load generator's client: keep-alive connections, shared by every simulated client. */
  private final Http1Client http = new Http1Client(Duration.ofSeconds(10), Duration.ofSeconds(60), null, 4096);

  /**
   * {@code clients} concurrent clients each send {@code requests} POSTs of {@code body} to {@code url},
   * one after another; client {@code i} starts {@code i / clients} of {@code ramp} after the first,
   * so that they do not all arrive in the same instant (zero: all at once). First it collects this
   * process's garbage, so that the pauses of the load generator and the upstream (which run here)
   * fall between measurements rather than inside one: with both in one 10,000-request measurement a
   * pause of 10-30 ms landed in one or the other at random, and moved the difference of their p99s
   * by as much.
   */
  public Latency load(URI url, String body, int clients, int requests, Duration ramp) throws InterruptedException {
    List<Double> ms = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger errors = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(clients);
    System.gc();
    long cpu0 = processCpuNanos();
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      long startAt = start + ramp.toNanos() * c / clients;
      Thread.ofVirtual().start(() -> {
        try {
          for (long wait; (wait = startAt - System.nanoTime()) > 0; ) LockSupport.parkNanos(wait);
          for (int i = 0; i < requests; i++) {
            long t0 = System.nanoTime();
            if (send(url, body)) ms.add((System.nanoTime() - t0) / 1e6);
            else errors.incrementAndGet();
          }
        } finally {
          done.countDown();
        }
      });
    }
    done.await();
    double cpuMs = (processCpuNanos() - cpu0) / 1e6 / ((long) clients * requests);
    List<Double> sorted;
    synchronized (ms) {
      sorted = new ArrayList<>(ms);
    }
    Collections.sort(sorted);
    return new Latency(percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.size(), errors.get(), cpuMs);
  }

  /** Opens {@code n} requests at once and waits for all; returns how many completed with 200. */
  public int concurrent(URI url, String body, int n) throws InterruptedException {
    AtomicInteger ok = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      Thread.ofVirtual().start(() -> {
        try {
          if (send(url, body)) ok.incrementAndGet();
        } finally {
          done.countDown();
        }
      });
    }
    done.await();
    return ok.get();
  }

  @Override
  public void close() {
    http.close();
  }

  private boolean send(URI url, String body) {
    try (Http1Client.Response r = http.send("POST", url, HEADERS, body.getBytes(StandardCharsets.UTF_8))) {
      try (InputStream in = r.body()) {
        byte[] buf = new byte[2048];
        while (in.read(buf) >= 0) {
          // discard: only the time to the last byte counts
        }
      }
      return r.status() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  private static final Map<String, List<String>> HEADERS =
      Map.of("Content-Type", List.of("application/json"), "Authorization", List.of("Bearer bench"));

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** The nearest-rank percentile of sorted values; NaN when empty. */
  static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) return Double.NaN;
    int i = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
