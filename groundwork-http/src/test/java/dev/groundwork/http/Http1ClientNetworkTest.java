package dev.groundwork.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Proxies, gzip, address fallback and the per-origin cap, against real sockets on loopback. */
class Http1ClientNetworkTest {
  private final List<ServerSocket> servers = new ArrayList<>();
  private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger connections = new AtomicInteger();

  @AfterEach
  void stop() throws IOException {
    for (ServerSocket s : servers) s.close();
  }

  interface Handler {
    void handle(Socket s, InputStream in, OutputStream out) throws IOException;
  }

  /** A server on 127.0.0.1 that runs {@code h} once per connection. */
  private int serve(Handler h) throws IOException {
    ServerSocket ss = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    servers.add(ss);
    Thread.ofVirtual().start(() -> {
      while (!ss.isClosed()) {
        try {
          Socket s = ss.accept();
          connections.incrementAndGet();
          Thread.ofVirtual().start(() -> {
            try (s) {
              h.handle(s, s.getInputStream(), s.getOutputStream());
            } catch (IOException ignored) {
              // the client went away
            }
          });
        } catch (IOException e) {
          return;
        }
      }
    });
    return ss.getLocalPort();
  }

  /** The request head, up to the empty line, or null at the end of the connection. */
  static String head(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String l = HttpLines.read(in, 8192); l != null; l = HttpLines.read(in, 8192)) {
      if (l.isEmpty()) return sb.toString();
      sb.append(l).append('\n');
    }
    return sb.isEmpty() ? null : sb.toString();
  }

  static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(b)) {
      g.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return b.toByteArray();
  }

  @Test
  void plainHttpGoesToTheProxyWithTheWholeUrlAndItsCredentials() throws Exception {
    int proxy = serve((s, in, out) -> {
      for (String h = head(in); h != null; h = head(in)) {
        seen.add(h);
        out.write("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nvia proxy".getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    });
    Proxies proxies = Proxies.fromEnvironment(Map.of("HTTP_PROXY", "http://alice:secret@127.0.0.1:" + proxy));
    try (Http1Client http = new Http1Client(Duration.ofSeconds(2), Duration.ofSeconds(2), null, 4, 0, proxies)) {
      try (var r = http.send("GET", URI.create("http://models.example.test:8080/v1/models?x=1"), Map.of(), null)) {
        assertThat(r.bodyText()).isEqualTo("via proxy");
      }
    }
    assertThat(seen).singleElement().satisfies(h -> assertThat(h)
        .startsWith("GET http://models.example.test:8080/v1/models?x=1 HTTP/1.1\n")
        .contains("Host: models.example.test:8080\n")
        .contains("Proxy-Authorization: Basic " + java.util.Base64.getEncoder().encodeToString("alice:secret".getBytes())));
  }

  @Test
  void httpsIsTunnelledWithConnectAndARefusalSaysWhatToSet() throws Exception {
    // the target: plain HTTP here, since what is checked is the tunnel (TLS over a tunnel is the same socket code as direct TLS)
    int target = serve((s, in, out) -> {
      head(in);
      out.write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\ntunnel".getBytes(StandardCharsets.UTF_8));
      out.flush();
    });
    int proxy = serve((s, in, out) -> {
      String h = head(in);
      seen.add(h);
      if (!h.contains("Proxy-Authorization")) {
        out.write("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      try (Socket up = new Socket("127.0.0.1", target)) {
        out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        Thread pump = Thread.ofVirtual().start(() -> {
          try {
            up.getInputStream().transferTo(out);
          } catch (IOException ignored) {
            // closed
          }
        });
        in.transferTo(up.getOutputStream());
        pump.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Connector tunnelOnly = new Connector(2000, 2000, javax.net.ssl.SSLContext.getDefault(),
        Proxies.fromEnvironment(Map.of("HTTPS_PROXY", "http://bob:pw@127.0.0.1:" + proxy)), InetAddress::getAllByName);
    // open the tunnel as an https request would, then speak plain HTTP through it
    try (Socket s = tunnelOnly.connectAny("127.0.0.1", proxy)) {
      tunnelOnly.tunnel(s, "api.example.test", 443, new Proxies.Proxy("127.0.0.1", proxy, "Basic Ym9iOnB3"));
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost: api.example.test\r\n\r\n".getBytes(StandardCharsets.UTF_8));
      assertThat(new String(s.getInputStream().readNBytes(44), StandardCharsets.UTF_8)).endsWith("tunnel");
    }
    assertThat(seen.get(0)).startsWith("CONNECT api.example.test:443 HTTP/1.1\n").contains("Host: api.example.test:443", "Proxy-Authorization: Basic Ym9iOnB3");

    // without credentials the proxy answers 407, and the error says where they go
    try (Http1Client http = new Http1Client(Duration.ofSeconds(2), Duration.ofSeconds(2), null, 4, 0,
        Proxies.fromEnvironment(Map.of("HTTPS_PROXY", "http://127.0.0.1:" + proxy)))) {
      assertThatThrownBy(() -> http.send("GET", URI.create("https://api.example.test/v1/models"), Map.of(), null)).isInstanceOf(IOException.class)
          .hasMessageContaining("refused CONNECT api.example.test:443: HTTP/1.1 407").hasMessageContaining("HTTPS_PROXY: http://user:password@host:port");
    }
  }

  @Test
  void gzipBodiesAreDecodedAndTheConnectionIsStillReused() throws Exception {
    byte[] fixed = gzip("hello, ".repeat(200));
    byte[] chunked = gzip("chunked body");
    int port = serve((s, in, out) -> {
      int n = 0;
      for (String h = head(in); h != null; h = head(in), n++) {
        seen.add(h);
        if (n % 2 == 0) {
          out.write(("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + fixed.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
          out.write(fixed);
        } else {
          out.write("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.UTF_8));
          out.write((Integer.toHexString(chunked.length) + "\r\n").getBytes(StandardCharsets.UTF_8));
          out.write(chunked);
          out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
      }
    });
    try (Http1Client http = new Http1Client(Duration.ofSeconds(2), Duration.ofSeconds(2), null, 4, 0, Proxies.NONE)) {
      URI uri = URI.create("http://127.0.0.1:" + port + "/");
      for (int i = 0; i < 2; i++) {
        try (var r = http.send("GET", uri, Map.of(), null)) {
          assertThat(r.bodyText()).isEqualTo("hello, ".repeat(200));
        }
        try (var r = http.send("GET", uri, Map.of(), null)) {
          assertThat(r.bodyText()).isEqualTo("chunked body");
        }
      }
    }
    assertThat(seen).hasSize(4).allSatisfy(h -> assertThat(h).contains("Accept-Encoding: gzip"));
    assertThat(connections.get()).as("one connection for all four, gzip or not").isEqualTo(1);
  }

  @Test
  void everyResolvedAddressIsTriedInTurn() throws Exception {
    int port = serve((s, in, out) -> {
      head(in);
      out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.UTF_8));
      out.flush();
    });
    // 127.0.0.2 is loopback on Linux but nothing listens there on this port: refused, then 127.0.0.1 answers
    HostResolver twoAddresses = host -> new InetAddress[] {InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.1")};
    try (Http1Client http = new Http1Client(Duration.ofSeconds(2), Duration.ofSeconds(2), null, 4, 0, Proxies.NONE, twoAddresses)) {
      try (var r = http.send("GET", URI.create("http://api.example.test:" + port + "/"), Map.of(), null)) {
        assertThat(r.bodyText()).isEqualTo("ok");
      }
    }
    HostResolver none = host -> new InetAddress[] {InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.3")};
    try (Http1Client http = new Http1Client(Duration.ofSeconds(2), Duration.ofSeconds(2), null, 4, 0, Proxies.NONE, none)) {
      assertThatThrownBy(() -> http.send("GET", URI.create("http://api.example.test:" + port + "/"), Map.of(), null))
          .isInstanceOf(java.net.ConnectException.class).hasMessageContaining("tried 2 addresses");
    }
  }

  @Test
  void theCapOnConnectionsPerOriginMakesARequestWaitForOne() throws Exception {
    int port = serve((s, in, out) -> {
      for (String h = head(in); h != null; h = head(in)) {
        out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    });
    URI uri = URI.create("http://127.0.0.1:" + port + "/");
    String origin = "http://127.0.0.1:" + port;
    try (Http1Client http = new Http1Client(Duration.ofMillis(300), Duration.ofSeconds(2), null, 4, 1, Proxies.NONE)) {
      Http1Client.Response held = http.send("GET", uri, Map.of(), null); // its body is not read: the connection stays in use
      assertThat(http.openConnections(origin)).isEqualTo(1);
      assertThatThrownBy(() -> http.send("GET", uri, Map.of(), null)).isInstanceOf(SocketTimeoutException.class)
          .hasMessageContaining("1 connections to " + origin + " are open (the cap)");
      assertThat(held.bodyText()).isEqualTo("ok"); // read to the end: back to the pool
      try (var r = http.send("GET", uri, Map.of(), null)) {
        assertThat(r.bodyText()).isEqualTo("ok");
      }
      assertThat(connections.get()).as("the second request reused the first connection").isEqualTo(1);
    }
  }
}
