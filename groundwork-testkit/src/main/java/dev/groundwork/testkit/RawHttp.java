package dev.groundwork.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written by hand over a socket, for requests a well-behaved client will not send: a foreign
 * {@code Host}, a forged {@code Origin}, a 20 kB URI, a body with a lying content type.
 */
public final class RawHttp {
  private RawHttp() {}

  /** A response: status, headers (lower-case names), body. */
  public record Response(int status, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /**
   * Sends {@code method path} with {@code headers} ("Name: value" lines) and {@code body} (may be
   * null), with {@code Connection: close}, and reads the whole response.
   */
  public static Response send(int port, String method, String path, String body, String... headers) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(15_000);
      StringBuilder req = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
      boolean host = false;
      for (String h : headers) {
        req.append(h).append("\r\n");
        host |= h.regionMatches(true, 0, "Host:", 0, 5);
      }
      if (!host) req.append("Host: 127.0.0.1:").append(port).append("\r\n");
      byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      if (body != null) req.append("Content-Length: ").append(b.length).append("\r\n");
      req.append("Connection: close\r\n\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.UTF_8));
      out.write(b);
      out.flush();
      return parse(s.getInputStream());
    }
  }

  private static Response parse(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    String text = all.toString(StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) throw new IOException("no complete response head in: " + text);
    String[] lines = text.substring(0, end).split("\r\n");
    String[] statusLine = lines[0].split(" ");
    if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/") || !statusLine[1].matches("\\d{3}")) {
      throw new IOException("not an HTTP status line: '" + lines[0] + "' in: " + text.substring(0, Math.min(text.length(), 500)));
    }
    int status = Integer.parseInt(statusLine[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int c = lines[i].indexOf(':');
      if (c > 0) headers.put(lines[i].substring(0, c).strip().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).strip());
    }
    String body = text.substring(end + 4);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) body = unchunk(body);
    return new Response(status, headers, body);
  }

  private static String unchunk(String s) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      int nl = s.indexOf("\r\n", i);
      if (nl < 0) break;
      int n = Integer.parseInt(s.substring(i, nl).strip(), 16);
      if (n == 0) break;
      out.append(s, nl + 2, nl + 2 + n);
      i = nl + 2 + n + 2;
    }
    return out.toString();
  }
}
