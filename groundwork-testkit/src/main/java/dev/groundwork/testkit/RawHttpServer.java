package dev.groundwork.testkit;

import dev.groundwork.http.HttpLines;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 server on a loopback socket, one request per connection ({@code Connection:
 * close}), so a test controls every byte: it can announce a length and then drop the connection,
 * stall mid-body, or stream events until it closes. Handlers run on virtual threads.
 */
public final class RawHttpServer implements AutoCloseable {
  /** Answers one request. */
  @FunctionalInterface
  public interface Handler {
    void handle(Request request, Response response) throws IOException;
  }

  /** A parsed request; header names are lower case. */
  public record Request(String method, String path, Map<String, List<String>> headers, byte[] body) {
    public String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** Writes the response straight to the socket. */
  public static final class Response {
    private final Socket socket;
    private final OutputStream out;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private boolean started;

    Response(Socket socket) throws IOException {
      this.socket = socket;
      this.out = socket.getOutputStream();
    }

    public Response header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    /** A complete response with a body. */
    public void send(int status, String contentType, byte[] body) throws IOException {
      header("Content-Type", contentType);
      OutputStream o = start(status, body.length);
      o.write(body);
      o.flush();
    }

    public void send(int status, String contentType, String body) throws IOException {
      send(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes the status line and headers and returns the body stream.
     *
     * @param contentLength the announced length, or -1 for a body that ends when the connection closes
     */
    public OutputStream start(int status, long contentLength) throws IOException {
      if (started) throw new IllegalStateException("response already started");
      started = true;
      StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
      headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
      if (contentLength >= 0) sb.append("Content-Length: ").append(contentLength).append("\r\n");
      sb.append("Connection: close\r\n\r\n");
      out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return out;
    }

    /**
     * Closes the connection now, whatever length was announced: the client gets the bytes written so
     * far and then end-of-stream, as when a connection dies mid-transfer.
     */
    public void cut() throws IOException {
      out.flush();
      socket.shutdownOutput();
      // wait for the client to hang up: closing with its bytes unread would reset the connection and
      // could drop what was already sent
      socket.setSoTimeout(2000);
      try {
        InputStream in = socket.getInputStream();
        while (in.read() >= 0) {
          // discard
        }
      } catch (IOException e) {
        // timed out or reset: close anyway
      }
      socket.close();
    }

    boolean started() {
      return started;
    }

    private static String reason(int status) {
      return switch (status) {
        case 200 -> "OK";
        case 206 -> "Partial Content";
        case 400 -> "Bad Request";
        case 401 -> "Unauthorized";
        case 404 -> "Not Found";
        case 416 -> "Range Not Satisfiable";
        case 429 -> "Too Many Requests";
        case 500 -> "Internal Server Error";
        default -> "Status";
      };
    }
  }

  private final ServerSocket server;
  private final Handler handler;
  private final Thread acceptor;
  private volatile boolean closed;

  public RawHttpServer(Handler handler) {
    this.handler = handler;
    try {
      server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress()); // a deep backlog: benchmarks open hundreds at once
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    acceptor = Thread.ofPlatform().daemon().name("raw-http-accept").start(this::acceptLoop);
  }

  public int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = server.accept();
        if (closed) { // accepted while close() ran: a closed server must not answer
          s.close();
          return;
        }
        Thread.ofVirtual().start(() -> serve(s));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      String requestLine = line(in);
      if (requestLine == null || requestLine.isEmpty()) return;
      String[] parts = requestLine.split(" ");
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (String h; (h = line(in)) != null && !h.isEmpty(); ) {
        int c = h.indexOf(':');
        if (c > 0) headers.computeIfAbsent(h.substring(0, c).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.substring(c + 1).strip());
      }
      byte[] body = body(in, headers);
      String target = parts.length > 1 ? parts[1] : "/";
      int q = target.indexOf('?');
      Request req = new Request(parts[0], q < 0 ? target : target.substring(0, q), headers, body);
      Response res = new Response(s);
      handler.handle(req, res);
      if (!res.started()) res.send(500, "text/plain", "handler sent nothing");
    } catch (IOException | RuntimeException e) {
      // the client went away or the handler cut the connection
    }
  }

  private static byte[] body(InputStream in, Map<String, List<String>> headers) throws IOException {
    List<String> te = headers.get("transfer-encoding");
    if (te != null && te.get(0).equalsIgnoreCase("chunked")) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (String size; (size = line(in)) != null; ) {
        int n = Integer.parseInt(size.split(";")[0].strip(), 16);
        if (n == 0) {
          line(in);
          break;
        }
        b.write(in.readNBytes(n));
        line(in);
      }
      return b.toByteArray();
    }
    List<String> cl = headers.get("content-length");
    return cl == null ? new byte[0] : in.readNBytes(Integer.parseInt(cl.get(0)));
  }

  private static String line(InputStream in) throws IOException {
    return HttpLines.read(in, 64 * 1024);
  }

  /**
   * Stops accepting; when it returns, the port refuses connections. (Closing a listening socket
   * while a thread is blocked in accept() completes only when that accept returns, and a connection
   * can slip in meanwhile: it is closed unanswered.)
   */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
      acceptor.join(2000);
    } catch (IOException e) {
      // already closed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
