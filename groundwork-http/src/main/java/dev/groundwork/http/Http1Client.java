package dev.groundwork.http;

import dev.groundwork.core.text.Snippets;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.net.ssl.SSLContext;

/**
 * A small blocking HTTP/1.1 client with keep-alive connection pooling, for calling model providers
 * from (virtual) threads that may block.
 *
 * <p>Why not {@link java.net.http.HttpClient}: its asynchronous core hands every exchange between a
 * selector thread and an executor, which costs CPU and queueing delay per request; under load on a
 * few cores that was most of the latency a gateway adds. Here the calling thread writes the request
 * and reads the response itself; a connection goes back to the pool once its body has been read to
 * the end. http and https (the platform's trust store and host-name verification, or a given
 * {@link SSLContext}); Content-Length, chunked and read-until-close bodies; a chunked or
 * Content-Length body that ends early fails with an {@link EOFException} instead of looking
 * complete. A request that finds its pooled connection closed by the server before any byte of a
 * response arrives is sent once more on a new connection (the server never saw it). Proxies come from
 * the environment ({@link Proxies}: http through the proxy, https tunnelled with CONNECT); every
 * address a host resolves to is tried in turn; responses may be gzip-compressed (the body is then
 * decoded, and the connection still goes back to the pool); connections per origin can be capped (a
 * request waits up to the connect timeout for one). No HTTP/2. Thread-safe.
 */
public final class Http1Client implements AutoCloseable {
  private static final int MAX_HEADER_BYTES = 64 * 1024;
  private static final Duration IDLE = Duration.ofSeconds(20);

  private final int connectMs;
  private final int readMs;
  private final int maxIdlePerOrigin;
  private final int maxPerOrigin;
  private final Connector connector;
  private final Map<String, java.util.concurrent.Semaphore> slots = new ConcurrentHashMap<>();
  private final Map<String, ConcurrentLinkedDeque<Conn>> idle = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param connectTimeout limit on opening a connection (and the TLS handshake); null = 10 s
   * @param readTimeout limit on waiting for any read: the response's first byte, or the next bytes of a
   *     body (so a stream that stalls fails); null = none
   */
  public Http1Client(Duration connectTimeout, Duration readTimeout) {
    this(connectTimeout, readTimeout, null, 512);
  }

  /** Proxies from the process environment, no cap on connections per origin. */
  public Http1Client(Duration connectTimeout, Duration readTimeout, SSLContext tls, int maxIdlePerOrigin) {
    this(connectTimeout, readTimeout, tls, maxIdlePerOrigin, 0, Proxies.fromEnvironment(System.getenv()));
  }

  /**
   * @param tls null for the platform's trust store
   * @param maxPerOrigin most connections open to one origin at a time (in use or idle); 0 = no cap
   * @param proxies which requests go through which proxy ({@link Proxies#NONE} for none)
   */
  public Http1Client(Duration connectTimeout, Duration readTimeout, SSLContext tls, int maxIdlePerOrigin, int maxPerOrigin, Proxies proxies) {
    this(connectTimeout, readTimeout, tls, maxIdlePerOrigin, maxPerOrigin, proxies, HostResolver.SYSTEM);
  }

  /** @param resolver where host names resolve; the client connects to nothing else (through no proxy, give {@link Proxies#NONE}) */
  public Http1Client(Duration connectTimeout, Duration readTimeout, SSLContext tls, int maxIdlePerOrigin, int maxPerOrigin, Proxies proxies,
      HostResolver resolver) {
    this.connectMs = millis(connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout);
    this.readMs = readTimeout == null ? 0 : millis(readTimeout);
    if (maxIdlePerOrigin < 0) throw new IllegalArgumentException("maxIdlePerOrigin must be >= 0");
    if (maxPerOrigin < 0) throw new IllegalArgumentException("maxPerOrigin must be >= 0 (0 = no cap)");
    this.maxIdlePerOrigin = maxIdlePerOrigin;
    this.maxPerOrigin = maxPerOrigin;
    SSLContext ctx;
    try {
      ctx = tls != null ? tls : SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no default TLS context: " + e.getMessage(), e);
    }
    this.connector = new Connector(connectMs, readMs, ctx, java.util.Objects.requireNonNull(proxies, "proxies"), resolver);
  }

  private static int millis(Duration d) {
    long ms = d.toMillis();
    if (ms < 1 || ms > Integer.MAX_VALUE) throw new IllegalArgumentException("timeout must be 1 ms .. 24 days, got " + d);
    return (int) ms;
  }

  /**
   * A response. Header names are lower case. Close it (or read the body to the end) to give the
   * connection back; closing before the end discards the connection.
   */
  public record Response(int status, Map<String, List<String>> headers, InputStream body) implements AutoCloseable {
    public String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    public String bodyText() throws IOException {
      try (InputStream in = body) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }

    @Override
    public void close() throws IOException {
      body.close();
    }
  }

  /**
   * Sends one request and reads the response head; the body is read from {@link Response#body()}.
   *
   * @param headers request headers (Host, Content-Length and Connection are set here)
   * @param body the request body, or null for none
   * @throws SocketTimeoutException when the connect or read timeout passes
   */
  public Response send(String method, URI uri, Map<String, List<String>> headers, byte[] body) throws IOException {
    if (closed) throw new IllegalStateException("the HTTP client is closed");
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) throw new IllegalArgumentException("only http and https URLs are supported, got " + uri);
    if (uri.getHost() == null) throw new IllegalArgumentException("the URL has no host: " + uri);
    boolean secure = scheme.equals("https");
    int port = uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80;
    String origin = scheme + "://" + uri.getHost() + ":" + port;
    // plain http through a proxy names the whole URL in the request line (https goes through a tunnel)
    Proxies.Proxy viaProxy = secure ? null : connector.proxies().forTarget(scheme, uri.getHost(), port).orElse(null);
    byte[] head = head(method, uri, port, secure, headers, body, viaProxy);
    Conn pooled = take(origin);
    if (pooled != null) {
      try {
        return exchange(pooled, method, head, body);
      } catch (StaleConnection e) {
        pooled.close(); // the server closed it while it sat in the pool: try once on a new one
      }
    }
    Conn fresh = open(uri.getHost(), port, secure, origin);
    try {
      return exchange(fresh, method, head, body);
    } catch (StaleConnection e) {
      fresh.close();
      throw new EOFException("the server at " + origin + " closed the connection without answering");
    }
  }

  private static byte[] head(String method, URI uri, int port, boolean secure, Map<String, List<String>> headers, byte[] body,
      Proxies.Proxy viaProxy) {
    StringBuilder sb = new StringBuilder(256);
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) path += "?" + uri.getRawQuery();
    String host = uri.getHost().contains(":") ? "[" + uri.getHost() + "]" : uri.getHost();
    if (port != (secure ? 443 : 80)) host += ":" + port;
    sb.append(checked(method)).append(' ').append(viaProxy != null ? "http://" + host + path : path).append(" HTTP/1.1\r\n");
    sb.append("Host: ").append(host).append("\r\n");
    if (viaProxy != null && viaProxy.authorization() != null) sb.append("Proxy-Authorization: ").append(viaProxy.authorization()).append("\r\n");
    boolean encodingAsked = headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("accept-encoding"));
    if (!encodingAsked) sb.append("Accept-Encoding: gzip\r\n");
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      String name = h.getKey();
      if (name.equalsIgnoreCase("host") || name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("connection")
          || name.equalsIgnoreCase("transfer-encoding")) continue;
      if (h.getValue() == null) continue;
      for (String v : h.getValue()) sb.append(checked(name)).append(": ").append(checked(v)).append("\r\n");
    }
    if (body != null) sb.append("Content-Length: ").append(body.length).append("\r\n");
    sb.append("\r\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Header names and values must not smuggle line breaks into the request. */
  private static String checked(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) throw new IllegalArgumentException("an HTTP header or method contains a line break: " + s.strip());
    }
    return s;
  }

  private Response exchange(Conn c, String method, byte[] head, byte[] body) throws IOException {
    try {
      c.out.write(head);
      if (body != null) c.out.write(body);
      c.out.flush();
    } catch (IOException e) {
      if (c.reused) throw new StaleConnection();
      c.close();
      throw e;
    }
    try {
      int first;
      try {
        c.in.mark(1);
        first = c.in.read();
      } catch (SocketTimeoutException e) {
        throw e; // a slow server, not a stale connection
      } catch (IOException e) {
        if (c.reused) throw new StaleConnection(); // reset by a server that had closed it
        throw e;
      }
      if (first < 0) {
        if (c.reused) throw new StaleConnection();
        c.close();
        throw new EOFException("the server closed the connection without answering");
      }
      c.in.reset(); // the first byte belongs to the status line
      while (true) {
        String status = line(c.in);
        Map<String, List<String>> headers = new TreeMap<>();
        int size = status.length();
        for (String l = line(c.in); !l.isEmpty(); l = line(c.in)) {
          size += l.length();
          if (size > MAX_HEADER_BYTES) throw new IOException("the response head is larger than " + MAX_HEADER_BYTES + " bytes");
          int colon = l.indexOf(':');
          if (colon <= 0) continue;
          headers.computeIfAbsent(l.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1)).add(l.substring(colon + 1).strip());
        }
        int code = statusCode(status);
        if (code >= 100 && code < 200) continue; // 100 Continue and friends: the real answer follows
        boolean keepAlive = status.startsWith("HTTP/1.1") && !tokens(headers.get("connection")).contains("close");
        Map<String, List<String>> view = Collections.unmodifiableMap(headers);
        return new Response(code, view, body(c, method, code, view, keepAlive));
      }
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** Parses {@code Retry-After}: delay seconds, or an HTTP date; null when absent or unreadable. */
  public static Duration retryAfter(String value, java.time.Clock clock) {
    if (value == null || value.isBlank()) return null;
    String v = value.strip();
    try {
      double seconds = Double.parseDouble(v);
      return seconds < 0 || Double.isNaN(seconds) || seconds > 86_400 * 365 ? null : Duration.ofMillis((long) (seconds * 1000));
    } catch (NumberFormatException e) {
      try {
        var when = java.time.ZonedDateTime.parse(v, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(clock.instant(), when.toInstant());
        return d.isNegative() ? Duration.ZERO : d;
      } catch (java.time.format.DateTimeParseException e2) {
        return null;
      }
    }
  }

  private static int statusCode(String status) throws IOException {
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) throw new IOException("not an HTTP response: " + abbreviate(status));
    try {
      return Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP status line: " + abbreviate(status));
    }
  }

  private static String abbreviate(String s) {
    return Snippets.oneLine(s, 80);
  }

  private static List<String> tokens(List<String> values) {
    if (values == null) return List.of();
    List<String> out = new ArrayList<>();
    for (String v : values) for (String t : v.split(",")) out.add(t.strip().toLowerCase(Locale.ROOT));
    return out;
  }

  private InputStream body(Conn c, String method, int code, Map<String, List<String>> headers, boolean keepAlive) throws IOException {
    InputStream raw = rawBody(c, method, code, headers, keepAlive);
    return tokens(headers.get("content-encoding")).contains("gzip") ? Gunzipped.of(raw) : raw;
  }

  private InputStream rawBody(Conn c, String method, int code, Map<String, List<String>> headers, boolean keepAlive) throws IOException {
    if (method.equals("HEAD") || code == 204 || code == 304) {
      release(c, keepAlive);
      return InputStream.nullInputStream();
    }
    if (tokens(headers.get("transfer-encoding")).contains("chunked")) return new Chunked(c, keepAlive);
    List<String> cl = headers.get("content-length");
    if (cl != null) {
      long n;
      try {
        n = Long.parseLong(cl.get(0).strip());
      } catch (NumberFormatException e) {
        throw new IOException("bad Content-Length: " + cl.get(0));
      }
      if (n < 0) throw new IOException("bad Content-Length: " + n);
      if (n == 0) {
        release(c, keepAlive);
        return InputStream.nullInputStream();
      }
      return new Fixed(c, n, keepAlive);
    }
    return new UntilClose(c);
  }

  /** One line of the response head or of a chunked body; the connection closing first is an error. */
  private static String line(InputStream in) throws IOException {
    String l = HttpLines.read(in, MAX_HEADER_BYTES);
    if (l == null) throw new EOFException("the connection closed in the middle of the response");
    return l;
  }

  private Conn take(String origin) {
    ConcurrentLinkedDeque<Conn> q = idle.get(origin);
    if (q == null) return null;
    long now = System.nanoTime();
    for (Conn c = q.pollFirst(); c != null; c = q.pollFirst()) {
      if (now - c.idleSince < IDLE.toNanos() && !c.socket.isClosed() && !c.socket.isInputShutdown()) {
        c.reused = true;
        return c;
      }
      c.close();
    }
    return null;
  }

  private void release(Conn c, boolean keepAlive) {
    if (!keepAlive || closed) {
      c.close();
      return;
    }
    ConcurrentLinkedDeque<Conn> q = idle.computeIfAbsent(c.origin, k -> new ConcurrentLinkedDeque<>());
    if (q.size() >= maxIdlePerOrigin) {
      c.close();
      return;
    }
    c.idleSince = System.nanoTime();
    q.offerFirst(c); // most recently used first: it is the least likely to have been closed by the server
    if (closed) closeIdle();
  }

  private Conn open(String host, int port, boolean secure, String origin) throws IOException {
    java.util.concurrent.Semaphore slot = maxPerOrigin == 0 ? null : slots.computeIfAbsent(origin, o -> new java.util.concurrent.Semaphore(maxPerOrigin));
    if (slot != null) {
      try {
        if (!slot.tryAcquire(connectMs, java.util.concurrent.TimeUnit.MILLISECONDS)) {
          throw new SocketTimeoutException(maxPerOrigin + " connections to " + origin + " are open (the cap); none came free in " + connectMs + " ms");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while waiting for a connection to " + origin);
      }
    }
    try {
      return new Conn(connector.open(host, port, secure), origin, slot);
    } catch (IOException | RuntimeException e) {
      if (slot != null) slot.release();
      throw e;
    }
  }

  /** Connections open to {@code origin} now (in use or idle), when a cap is set; -1 without one. */
  int openConnections(String origin) {
    java.util.concurrent.Semaphore slot = slots.get(origin);
    return maxPerOrigin == 0 ? -1 : slot == null ? 0 : maxPerOrigin - slot.availablePermits();
  }

  private void closeIdle() {
    for (ConcurrentLinkedDeque<Conn> q : idle.values()) for (Conn c = q.pollFirst(); c != null; c = q.pollFirst()) c.close();
  }

  /** Closes the idle connections; responses still being read finish and then close theirs. */
  @Override
  public void close() {
    closed = true;
    closeIdle();
  }

  private static final class StaleConnection extends IOException {
    StaleConnection() {
      super("the pooled connection was closed by the server");
    }
  }

  private static final class Conn {
    final Socket socket;
    final String origin;
    final InputStream in;
    final OutputStream out;
    volatile long idleSince;
    boolean reused;

    private final java.util.concurrent.Semaphore slot;
    private final java.util.concurrent.atomic.AtomicBoolean closedOnce = new java.util.concurrent.atomic.AtomicBoolean();

    Conn(Socket socket, String origin, java.util.concurrent.Semaphore slot) throws IOException {
      this.socket = socket;
      this.origin = origin;
      this.slot = slot;
      this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    void close() {
      if (!closedOnce.compareAndSet(false, true)) return;
      try {
        socket.close();
      } catch (IOException ignored) {
        // nothing more to do with a broken socket
      } finally {
        if (slot != null) slot.release();
      }
    }
  }

  /** A body stream that gives its connection back once read to the end. */
  private abstract class Body extends InputStream {
    final Conn c;
    final boolean keepAlive;
    boolean done;
    boolean bodyClosed;

    Body(Conn c, boolean keepAlive) {
      this.c = c;
      this.keepAlive = keepAlive;
    }

    final void finished() {
      if (done) return;
      done = true;
      release(c, keepAlive);
    }

    private final byte[] one = new byte[1];

    @Override
    public int read() throws IOException {
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public void close() {
      if (bodyClosed) return;
      bodyClosed = true;
      if (!done) {
        done = true;
        c.close(); // not read to the end: the rest would have to be drained, so the connection goes
      }
    }

    final IOException failed(IOException e) {
      done = true;
      c.close();
      return e;
    }
  }

  private final class Fixed extends Body {
    long left;

    Fixed(Conn c, long n, boolean keepAlive) {
      super(c, keepAlive);
      this.left = n;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (bodyClosed) throw new IOException("the response body is closed");
      if (left == 0) return -1;
      if (len == 0) return 0;
      int n;
      try {
        n = c.in.read(b, off, (int) Math.min(len, left));
      } catch (IOException e) {
        throw failed(e);
      }
      if (n < 0) throw failed(new EOFException("the response body ended " + left + " bytes early"));
      left -= n;
      if (left == 0) finished();
      return n;
    }

    @Override
    public int available() throws IOException {
      return bodyClosed || left == 0 ? 0 : (int) Math.min(left, c.in.available());
    }

    /** The rest in one array of the right size (the default grows 16 KB chunks). */
    @Override
    public byte[] readAllBytes() throws IOException {
      if (left > Integer.MAX_VALUE - 8) return super.readAllBytes();
      byte[] out = new byte[(int) left];
      int off = 0;
      while (off < out.length) {
        int n = read(out, off, out.length - off);
        if (n < 0) break; // read() has thrown for a short body already
        off += n;
      }
      return out;
    }
  }

  private final class Chunked extends Body {
    long left; // bytes left in the current chunk
    boolean last;

    Chunked(Conn c, boolean keepAlive) {
      super(c, keepAlive);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (bodyClosed) throw new IOException("the response body is closed");
      if (last) return -1;
      if (len == 0) return 0;
      try {
        if (left == 0) {
          String size = line(c.in);
          int semi = size.indexOf(';');
          if (semi >= 0) size = size.substring(0, semi);
          try {
            left = Long.parseLong(size.strip(), 16);
          } catch (NumberFormatException e) {
            throw new IOException("bad chunk size in the response body: " + abbreviate(size));
          }
          if (left < 0) throw new IOException("bad chunk size in the response body: " + left);
          if (left == 0) {
            while (!line(c.in).isEmpty()) {
              // trailers: ignored
            }
            last = true;
            finished();
            return -1;
          }
        }
        int n = c.in.read(b, off, (int) Math.min(len, left));
        if (n < 0) throw new EOFException("the response body was cut off in the middle of a chunk");
        left -= n;
        if (left == 0) {
          String crlf = line(c.in);
          if (!crlf.isEmpty()) throw new IOException("a response chunk is longer than its size says");
        }
        return n;
      } catch (IOException e) {
        throw failed(e);
      }
    }
  }

  private final class UntilClose extends Body {
    UntilClose(Conn c) {
      super(c, false);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (bodyClosed) throw new IOException("the response body is closed");
      if (done) return -1;
      int n;
      try {
        n = c.in.read(b, off, len);
      } catch (IOException e) {
        throw failed(e);
      }
      if (n < 0) finished();
      return n;
    }
  }
}
