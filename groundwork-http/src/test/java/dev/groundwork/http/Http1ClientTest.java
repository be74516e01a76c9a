package dev.groundwork.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Http1ClientTest {
  /** What the scripted server does with one request on a connection; false closes the connection. */
  interface Script {
    boolean answer(int request, String head, String body, OutputStream out) throws IOException;
  }

  private ServerSocket server;
  private final AtomicInteger connections = new AtomicInteger();
  private final List<String> heads = Collections.synchronizedList(new ArrayList<>());
  private final Http1Client http = new Http1Client(Duration.ofSeconds(2), Duration.ofSeconds(2));

  @AfterEach
  void stop() throws IOException {
    http.close();
    if (server != null) server.close();
  }

  private URI serve(Script script) throws IOException {
    return serve(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), script, "http");
  }

  private URI serve(ServerSocket ss, Script script, String scheme) {
    server = ss;
    AtomicInteger requests = new AtomicInteger();
    Thread.ofVirtual().start(() -> {
      while (!ss.isClosed()) {
        try {
          Socket s = ss.accept();
          connections.incrementAndGet();
          Thread.ofVirtual().start(() -> {
            try (s) {
              InputStream in = s.getInputStream();
              while (true) {
                String head = head(in);
                if (head == null) return;
                heads.add(head);
                int length = 0;
                for (String l : head.split("\r\n")) if (l.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(l.substring(15).strip());
                String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                if (!script.answer(requests.getAndIncrement(), head, body, s.getOutputStream())) return;
              }
            } catch (IOException e) {
              // the test decides what a broken connection means
            }
          });
        } catch (IOException e) {
          return;
        }
      }
    });
    return URI.create(scheme + "://localhost:" + ss.getLocalPort() + "/v1/echo?x=1");
  }

  private static String head(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      sb.append((char) b);
      if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) return sb.toString();
    }
    return null;
  }

  private static void write(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String ok(String body) {
    return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
  }

  private String post(URI uri, String body) throws IOException {
    try (Http1Client.Response r = http.send("POST", uri, Map.of("X-Test", List.of("yes")), body.getBytes(StandardCharsets.UTF_8))) {
      assertThat(r.status()).isEqualTo(200);
      return r.bodyText();
    }
  }

  @Test
  void requestsShareOneKeptAliveConnectionAndCarryHostLengthAndHeaders() throws IOException {
    URI uri = serve((i, head, body, out) -> {
      write(out, ok("echo " + i + ": " + body));
      return true;
    });
    for (int i = 0; i < 5; i++) assertThat(post(uri, "héllo " + i)).isEqualTo("echo " + i + ": héllo " + i);
    assertThat(connections.get()).isEqualTo(1);
    String head = heads.get(0);
    assertThat(head).startsWith("POST /v1/echo?x=1 HTTP/1.1\r\n").contains("Host: localhost:" + server.getLocalPort() + "\r\n")
        .contains("Content-Length: 8\r\n").contains("X-Test: yes\r\n");
  }

  @Test
  void aChunkedBodyIsDecodedAndTheConnectionIsReusedAfterIt() throws IOException {
    URI uri = serve((i, head, body, out) -> {
      write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nHello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n");
      return true;
    });
    assertThat(post(uri, "a")).isEqualTo("Hello, world");
    assertThat(post(uri, "b")).isEqualTo("Hello, world");
    assertThat(connections.get()).isEqualTo(1);
  }

  @Test
  void aBodyCutOffIsAnErrorNotAShortAnswer() throws IOException {
    URI uri = serve((i, head, body, out) -> {
      if (i == 0) write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nonly part");
      else write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nten bytes.");
      return false; // and close
    });
    assertThatThrownBy(() -> post(uri, "a")).isInstanceOf(EOFException.class).hasMessageContaining("chunk");
    assertThatThrownBy(() -> post(uri, "b")).isInstanceOf(EOFException.class).hasMessageContaining("90 bytes early");
  }

  @Test
  void aPooledConnectionTheServerClosedIsReplacedOnce() throws IOException {
    URI uri = serve((i, head, body, out) -> {
      write(out, ok("answer " + i));
      return false; // closes without saying Connection: close, as an idle timeout would
    });
    assertThat(post(uri, "a")).isEqualTo("answer 0");
    assertThat(post(uri, "b")).isEqualTo("answer 1");
    assertThat(connections.get()).isEqualTo(2);
  }

  @Test
  void connectionCloseIsHonouredAndErrorsAreReadLikeAnswers() throws IOException {
    URI uri = serve((i, head, body, out) -> {
      write(out, "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\nContent-Length: 4\r\nConnection: close\r\n\r\nslow");
      return true;
    });
    for (int i = 0; i < 2; i++) {
      try (Http1Client.Response r = http.send("POST", uri, Map.of(), new byte[0])) {
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.header("Retry-After")).isEqualTo("7");
        assertThat(r.bodyText()).isEqualTo("slow");
      }
    }
    assertThat(connections.get()).isEqualTo(2);
  }

  @Test
  void aServerThatNeverAnswersTimesOut() throws IOException {
    URI uri = serve((i, head, body, out) -> {
      try {
        Thread.sleep(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return false;
    });
    try (Http1Client quick = new Http1Client(Duration.ofSeconds(1), Duration.ofMillis(200))) {
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> quick.send("POST", uri, Map.of(), new byte[0])).isInstanceOf(SocketTimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void headersCannotSmuggleLineBreaksAndOnlyHttpIsSpoken() {
    URI uri = URI.create("http://127.0.0.1:9/");
    assertThatThrownBy(() -> http.send("GET", uri, Map.of("X-Evil", List.of("a\r\nHost: other")), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line break");
    assertThatThrownBy(() -> http.send("GET", URI.create("ftp://example.com/"), Map.of(), null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void retryAfterIsReadAsSecondsOrAnHttpDate() {
    Clock clock = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
    assertThat(Http1Client.retryAfter("7", clock)).isEqualTo(Duration.ofSeconds(7));
    assertThat(Http1Client.retryAfter("Wed, 25 Nov 2026 10:00:30 GMT", clock)).isEqualTo(Duration.ofSeconds(30));
    assertThat(Http1Client.retryAfter("soon", clock)).isNull();
    assertThat(Http1Client.retryAfter(null, clock)).isNull();
  }

  @Test
  void httpsVerifiesTheCertificateAndTheHostName(@TempDir Path dir) throws Exception {
    Path ks = dir.resolve("server.p12");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-keyalg", "EC",
        "-groupname", "secp256r1", "-alias", "server", "-dname", "CN=localhost", "-ext", "san=dns:localhost", "-validity", "2",
        "-keystore", ks.toString(), "-storepass", "changeit", "-storetype", "PKCS12").redirectErrorStream(true).start();
    String keytoolOut = new BufferedReader(new InputStreamReader(p.getInputStream())).lines().reduce("", String::concat);
    assertThat(p.waitFor()).as("keytool: " + keytoolOut).isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = new FileInputStream(ks.toFile())) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext serverCtx = SSLContext.getInstance("TLS");
    serverCtx.init(kmf.getKeyManagers(), null, null);
    SSLContext clientCtx = SSLContext.getInstance("TLS");
    clientCtx.init(null, tmf.getTrustManagers(), null);
    SSLServerSocket ss = (SSLServerSocket) serverCtx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    URI uri = serve(ss, (i, head, body, out) -> {
      write(out, ok("secure " + i));
      return true;
    }, "https");

    try (Http1Client trusting = new Http1Client(Duration.ofSeconds(2), Duration.ofSeconds(2), clientCtx, 4)) {
      for (int i = 0; i < 2; i++) {
        try (Http1Client.Response r = trusting.send("GET", uri, Map.of(), null)) {
          assertThat(r.bodyText()).isEqualTo("secure " + i);
        }
      }
      assertThat(connections.get()).as("the TLS connection is kept alive").isEqualTo(1);
      URI byAddress = URI.create("https://127.0.0.1:" + ss.getLocalPort() + "/");
      assertThatThrownBy(() -> trusting.send("GET", byAddress, Map.of(), null)).as("the certificate names localhost only")
          .isInstanceOf(SSLHandshakeException.class);
    }
    assertThatThrownBy(() -> http.send("GET", uri, Map.of(), null)).as("the platform trust store does not know the test CA")
        .isInstanceOf(SSLHandshakeException.class);
  }
}
