package dev.groundwork.http;

import java.io.IOException;
import java.io.InputStream;

/** Lines of an HTTP/1.1 head or chunked body, shared by the client and the test and bench servers. */
public final class HttpLines {
  private HttpLines() {}

  /**
   * The next line without its LF and a CR before it, as ISO-8859-1 (what HTTP heads are); the part
   * read when the stream ends mid-line; null when it ends before any byte.
   *
   * @throws IOException when the line is longer than {@code maxBytes}
   */
  public static String read(InputStream in, int maxBytes) throws IOException {
    StringBuilder sb = new StringBuilder(64);
    int b = in.read();
    if (b < 0) return null;
    while (b >= 0 && b != '\n') {
      if (sb.length() >= maxBytes) throw new IOException("an HTTP line is longer than " + maxBytes + " bytes");
      sb.append((char) b);
      b = in.read();
    }
    int n = sb.length();
    if (n > 0 && sb.charAt(n - 1) == '\r') sb.setLength(n - 1);
    return sb.toString();
  }
}
