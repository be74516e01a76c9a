package dev.groundwork.bench;

import dev.groundwork.http.Http1Client;
import dev.groundwork.http.Proxies;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Our HTTP client against the JDK's {@link HttpClient} and OkHttp, for the calls the providers
 * make: start-up (a fresh JVM that builds the client and makes one call, timed as a whole process,
 * median of {@code runs}) and per-call overhead (one thread, keep-alive, a small JSON POST to a local
 * server that answers at once: latency percentiles, and process CPU per call, which counts the local
 * server too, alike for every client). Not thread-safe.
 */
public final class HttpClientBenchmark {
  public static final List<String> CLIENTS = List.of("groundwork", "jdk", "okhttp");
  static final byte[] BODY = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8);

  /** One client's figures: start-up ms, latency in microseconds, CPU microseconds per call. */
  public record Row(String client, double startupMs, double p50Us, double p99Us, double cpuUsPerCall) {}

  /** One POST and its status; the body is read to the end. */
  interface Caller extends AutoCloseable {
    int post(URI url, byte[] body) throws Exception;

    @Override
    void close();
  }

  static Caller caller(String name) {
    return switch (name) {
      case "groundwork" -> new Caller() {
        final Http1Client http = new Http1Client(Duration.ofSeconds(10), Duration.ofSeconds(60), null, 64, 0, Proxies.NONE);

        public int post(URI url, byte[] body) throws IOException {
          try (Http1Client.Response r = http.send("POST", url, Map.of("Content-Type", List.of("application/json")), body)) {
            r.body().readAllBytes();
            return r.status();
          }
        }

        public void close() {
          http.close();
        }
      };
      case "jdk" -> new Caller() {
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

        public int post(URI url, byte[] body) throws Exception {
          HttpRequest req = HttpRequest.newBuilder(url).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
          return http.send(req, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
        }

        public void close() {
          http.close();
        }
      };
      case "okhttp" -> new Caller() {
        final okhttp3.OkHttpClient http = new okhttp3.OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(10)).build();

        public int post(URI url, byte[] body) throws IOException {
          okhttp3.Request req = new okhttp3.Request.Builder().url(url.toString())
              .post(okhttp3.RequestBody.create(body, okhttp3.MediaType.get("application/json"))).build();
          try (okhttp3.Response r = http.newCall(req).execute()) {
            r.body().bytes();
            return r.code();
          }
        }

        public void close() {
          http.dispatcher().executorService().shutdown();
          http.connectionPool().evictAll();
        }
      };
      default -> throw new IllegalArgumentException("unknown client '" + name + "'; accepted: " + String.join(", ", CLIENTS));
    };
  }

  /** The child process of the start-up measure: builds {@code args[0]}'s client and makes one call to {@code args[1]}. */
  public static void main(String[] args) throws Exception {
    try (Caller c = caller(args[0])) {
      int status = c.post(URI.create(args[1]), BODY);
      System.exit(status == 200 ? 0 : 1);
    }
  }

  private final List<String> childJvm;
  private final int calls;
  private final int warmup;
  private final int runs;

  /**
   * @param childJvm java and its options up to and including {@code -cp CLASSPATH}: the start-up
   *     children run this class's {@link #main} with it
   */
  public HttpClientBenchmark(List<String> childJvm, int calls, int warmup, int runs) {
    if (calls < 100 || warmup < 0 || runs < 1) throw new IllegalArgumentException("calls >= 100, warmup >= 0, runs >= 1");
    this.childJvm = List.copyOf(childJvm);
    this.calls = calls;
    this.warmup = warmup;
    this.runs = runs;
  }

  /** Measures every client against {@code url}; progress counts finished clients. */
  public List<Row> run(URI url, IntConsumer progress) throws Exception {
    List<Row> rows = new ArrayList<>();
    for (String name : CLIENTS) {
      double[] startup = new double[runs];
      for (int i = 0; i < runs; i++) {
        List<String> cmd = new ArrayList<>(childJvm);
        cmd.addAll(List.of(HttpClientBenchmark.class.getName(), name, url.toString()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) throw new IOException("the " + name + " start-up probe failed");
        startup[i] = (System.nanoTime() - t0) / 1e6;
      }
      double[] us = new double[calls];
      long cpu0;
      try (Caller c = caller(name)) {
        for (int i = 0; i < warmup; i++) check(c.post(url, BODY), name);
        cpu0 = cpuNanos();
        for (int i = 0; i < calls; i++) {
          long t0 = System.nanoTime();
          check(c.post(url, BODY), name);
          us[i] = (System.nanoTime() - t0) / 1e3;
        }
      }
      double cpu = (cpuNanos() - cpu0) / 1e3 / calls;
      Arrays.sort(us);
      rows.add(new Row(name, StartupBenchmark.median(startup), us[calls / 2], us[(int) Math.min(calls - 1, Math.ceil(calls * 0.99) - 1)], cpu));
      progress.accept(rows.size());
    }
    return rows;
  }

  private static void check(int status, String name) throws IOException {
    if (status != 200) throw new IOException(name + ": the local server answered " + status);
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
