package dev.groundwork.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * A gzip-encoded response body, decoded. The decoder may stop before the transfer's last bytes (a
 * chunked body's final empty chunk, say); once it reaches the end, the raw body is read to its end
 * (up to 64 KB) so that its connection can go back to the pool instead of being discarded. Closing
 * before the end discards the connection, as for any body.
 */
final class Gunzipped extends FilterInputStream {
  private static final int DRAIN_LIMIT = 64 * 1024;
  private final InputStream raw;
  private boolean closed;
  private boolean ended;

  private Gunzipped(InputStream decoded, InputStream raw) {
    super(decoded);
    this.raw = raw;
  }

  static InputStream of(InputStream raw) throws IOException {
    return new Gunzipped(new GZIPInputStream(raw, 8192), raw);
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b < 0) drain();
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n < 0) drain();
    return n;
  }

  private void drain() throws IOException {
    if (ended) return;
    ended = true;
    byte[] buf = new byte[4096];
    int total = 0;
    for (int n = raw.read(buf); n >= 0 && total < DRAIN_LIMIT; n = raw.read(buf)) total += n;
  }

  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    super.close(); // the decoder, then the raw body
  }
}
