package dev.groundwork.bench;

import dev.groundwork.http.HttpLines;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The gateway benchmark's upstream: an OpenAI-compatible {@code POST /v1/chat/completions} that
 * answers every request with the same completion after a fixed delay, as JSON or, when the request
 * asks for {@code "stream": true}, as server-sent events (a role chunk, three content chunks, the
 * finish chunk, a usage chunk and {@code [DONE]}, in a chunked body, as OpenAI sends them).
 *
 * <p>It does as little as it can (no JSON parsing, replies prepared once, keep-alive connections on
 * virtual threads) because it shares the machine with the server being measured: CPU it spent would
 * show up as queueing in both paths. Use the testkit's fake servers to test behaviour; this one only
 * answers. Thread-safe.
 */
public final class CannedUpstream implements AutoCloseable {
  private static final byte[] STREAM_FLAG = "\"stream\":true".getBytes(StandardCharsets.US_ASCII);
  private static final String ID = "chatcmpl-bench";

  private final ServerSocket server;
  private final byte[] json;
  private final byte[] sse;
  private volatile long delayNanos;
  private volatile boolean closed;
  private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();

  public CannedUpstream(Duration delay) throws IOException {
    this.delayNanos = delay.toNanos();
    this.server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
    String completion = "{\"id\":\"" + ID + "\",\"object\":\"chat.completion\",\"created\":1764000000,\"model\":\"gpt-4.1-mini\",\"choices\":[{\"index\":0,"
        + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello there, how are you?\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":14,\"completion_tokens\":7,\"total_tokens\":21,\"prompt_tokens_details\":{\"cached_tokens\":0}}}";
    byte[] body = completion.getBytes(StandardCharsets.UTF_8);
    this.json = concat(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), body);
    StringBuilder events = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n");
    String prefix = "{\"id\":\"" + ID + "\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,\"model\":\"gpt-4.1-mini\",\"choices\":";
    chunk(events, prefix + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");
    for (String piece : new String[] {"Hello there, ", "how are ", "you?"}) {
      chunk(events, prefix + "[{\"index\":0,\"delta\":{\"content\":\"" + piece + "\"},\"finish_reason\":null}]}");
    }
    chunk(events, prefix + "[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
    chunk(events, prefix + "[],\"usage\":{\"prompt_tokens\":14,\"completion_tokens\":7,\"total_tokens\":21}}");
    chunk(events, "[DONE]");
    events.append("0\r\n\r\n");
    this.sse = events.toString().getBytes(StandardCharsets.UTF_8);
    Thread.ofPlatform().daemon().name("canned-upstream-accept").start(this::accept);
  }

  private static void chunk(StringBuilder sb, String data) {
    String event = "data: " + data + "\n\n";
    sb.append(Integer.toHexString(event.getBytes(StandardCharsets.UTF_8).length)).append("\r\n").append(event).append("\r\n");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** The base URL, as an OpenAI client expects it ({@code http://127.0.0.1:PORT/v1}). */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getLocalPort() + "/v1";
  }

  /** Connections accepted so far: with keep-alive clients, about one per concurrent client. */
  public int connections() {
    return connections.get();
  }

  /** Requests answered so far. */
  public long requests() {
    return requests.get();
  }

  public void delay(Duration d) {
    delayNanos = d.toNanos();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket s = server.accept();
        if (closed) {
          s.close();
          return;
        }
        connections.incrementAndGet();
        Thread.ofVirtual().start(() -> serve(s));
      } catch (IOException e) {
        if (!closed) System.err.println("canned upstream: accept failed: " + e.getMessage());
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      s.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
      OutputStream out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
      byte[] body = new byte[64 * 1024];
      while (!closed) {
        long length = -1;
        String line = HttpLines.read(in, 8192);
        if (line == null) return; // the client closed the connection
        for (String h = HttpLines.read(in, 8192); h != null && !h.isEmpty(); h = HttpLines.read(in, 8192)) {
          if (h.regionMatches(true, 0, "content-length:", 0, 15)) length = Long.parseLong(h.substring(15).strip());
        }
        if (length < 0 || length > body.length) {
          out.write("HTTP/1.1 411 Length Required\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          return;
        }
        int n = (int) length;
        for (int off = 0; off < n; ) {
          int r = in.read(body, off, n - off);
          if (r < 0) return;
          off += r;
        }
        long d = delayNanos;
        if (d > 0) Thread.sleep(Duration.ofNanos(d));
        requests.incrementAndGet();
        out.write(contains(body, n, STREAM_FLAG) ? sse : json);
        out.flush();
      }
    } catch (IOException | InterruptedException | NumberFormatException e) {
      // the connection ends; a client sees it as an error and counts it
    }
  }

  /** Whether {@code body[0..n)} contains {@code what}, ignoring one optional space after the colon. */
  static boolean contains(byte[] body, int n, byte[] what) {
    outer:
    for (int i = 0; i < n; i++) {
      int j = 0;
      int k = i;
      while (j < what.length) {
        if (k >= n) continue outer;
        if (body[k] == ' ' && j > 0 && what[j - 1] == ':') {
          k++;
          continue;
        }
        if (body[k] != what[j]) continue outer;
        j++;
        k++;
      }
      return true;
    }
    return false;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
  }
}
