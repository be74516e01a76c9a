package dev.groundwork.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayBenchmarkTest {
  /** A server over a real socket that notes when each request arrived and answers 200 at once. */
  private static HttpServer recording(List<Long> arrivals) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      arrivals.add(System.nanoTime());
      ex.getRequestBody().readAllBytes();
      byte[] body = "{}".getBytes();
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    return server;
  }

  @Test
  void clientsStartSpreadOverTheRampAndEveryRequestIsCounted() throws Exception {
    List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
    HttpServer server = recording(arrivals);
    try (GatewayBenchmark load = new GatewayBenchmark()) {
      URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      long t0 = System.nanoTime();
      GatewayBenchmark.Latency l = load.load(url, "{}", 5, 2, Duration.ofMillis(400));
      assertThat(l.ok()).isEqualTo(10);
      assertThat(l.errors()).isZero();
      // the fifth client starts 4/5 of the ramp after the first, so its requests cannot come sooner
      // (all at once, ten requests to a server that answers at once take a few milliseconds)
      assertThat(Duration.ofNanos(Collections.max(arrivals) - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(320));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aRequestThatIsNotAnsweredWith200IsAnErrorNotALatency() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      ex.getRequestBody().readAllBytes();
      ex.sendResponseHeaders(503, -1);
      ex.close();
    });
    server.start();
    try (GatewayBenchmark load = new GatewayBenchmark()) {
      GatewayBenchmark.Latency l = load.load(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), "{}", 2, 3, Duration.ZERO);
      assertThat(l.ok()).isZero();
      assertThat(l.errors()).isEqualTo(6);
      assertThat(l.p99()).isNaN();
    } finally {
      server.stop(0);
    }
  }
}
