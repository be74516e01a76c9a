package dev.groundwork.models.llamacpp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads a model file into {@code NAME.part} beside the target and renames it when complete, so a
 * half-downloaded file is never mistaken for a model. An interrupted download resumes from the
 * bytes it has (HTTP {@code Range}), within this run (up to {@code maxAttempts}) and in the next one.
 * A server that ignores the range restarts the file. When a SHA-256 is known (given, or from the
 * server's {@code X-Linked-ETag}), the file is checked and deleted on a mismatch. Thread-safe for
 * different targets.
 */
public final class ModelDownloader {
  /** Progress of one download. */
  public interface Listener {
    /** @param total the file's size, or -1 when unknown; @param already bytes kept from an earlier try */
    void start(long total, long already);

    void progress(long done);
  }

  /**
   * @param verified true when the SHA-256 was checked
   * @param resumed true when bytes from an earlier, interrupted try were kept
   */
  public record Result(Path file, long bytes, String sha256, boolean verified, boolean resumed) {}

  /** The file's SHA-256 did not match; the download was deleted. */
  public static final class ChecksumMismatchException extends IOException {
    public ChecksumMismatchException(String message) {
      super(message);
    }
  }

  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

  private final HttpClient http;
  private final int maxAttempts;
  private final Duration backoff;
  private final Duration stallTimeout;

  /** @param stallTimeout a connection that sends nothing for this long is dropped and the download resumed */
  public ModelDownloader(HttpClient http, int maxAttempts, Duration backoff, Duration stallTimeout) {
    if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1");
    this.http = http;
    this.maxAttempts = maxAttempts;
    this.backoff = backoff;
    this.stallTimeout = stallTimeout;
  }

  public ModelDownloader(HttpClient http, int maxAttempts, Duration backoff) {
    this(http, maxAttempts, backoff, Duration.ofSeconds(60));
  }

  public static ModelDownloader standard() {
    return new ModelDownloader(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(20)).build(),
        5, Duration.ofSeconds(2));
  }

  /** @param expectedSha256 the file's SHA-256 in hex, or null */
  public Result download(URI url, Path target, String expectedSha256, Listener listener) throws IOException {
    Files.createDirectories(target.toAbsolutePath().getParent());
    Path part = target.resolveSibling(target.getFileName() + ".part");
    boolean resumed = Files.exists(part) && Files.size(part) > 0;
    String serverSha = null;
    IOException last = null;
    boolean complete = false;
    for (int attempt = 1; attempt <= maxAttempts && !complete; attempt++) {
      long have = Files.exists(part) ? Files.size(part) : 0;
      HttpRequest.Builder rb = HttpRequest.newBuilder(url).GET().header("User-Agent", "groundwork");
      if (have > 0) rb.header("Range", "bytes=" + have + "-");
      HttpResponse<InputStream> r;
      try {
        r = http.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("download interrupted", e);
      } catch (IOException e) {
        last = e;
        pause(attempt);
        continue;
      }
      serverSha = Optional.ofNullable(serverSha).orElse(sha(r));
      try (InputStream in = r.body()) {
        int status = r.statusCode();
        long total;
        if (status == 416 && have > 0) { // nothing left to send: the part is the whole file
          complete = true;
          listener.start(have, have);
          break;
        } else if (status == 206) {
          Matcher m = CONTENT_RANGE.matcher(r.headers().firstValue("content-range").orElse(""));
          if (!m.matches() || Long.parseLong(m.group(1)) != have) {
            Files.deleteIfExists(part); // a range we did not ask for: start over
            last = new IOException("the server answered a different range; restarting");
            continue;
          }
          total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
        } else if (status == 200) {
          have = 0; // the server ignores ranges: start over
          resumed = false;
          total = r.headers().firstValueAsLong("content-length").orElse(-1);
        } else {
          String msg = "HTTP " + status + " from " + url;
          if (status >= 400 && status < 500) throw new IOException(msg);
          last = new IOException(msg);
          pause(attempt);
          continue;
        }
        listener.start(total, have);
        long done = have;
        java.util.concurrent.atomic.AtomicLong lastRead = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
        Thread watchdog = Thread.ofVirtual().start(() -> {
          try {
            while (System.nanoTime() - lastRead.get() < stallTimeout.toNanos()) Thread.sleep(Math.min(200, stallTimeout.toMillis()));
            in.close(); // the pending read fails and the download resumes
          } catch (InterruptedException | IOException e) {
            // finished in time
          }
        });
        try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            have == 0 ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND)) {
          byte[] buf = new byte[1 << 16];
          int n;
          while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            done += n;
            lastRead.set(System.nanoTime());
            listener.progress(done);
          }
        } finally {
          watchdog.interrupt();
        }
        if (total >= 0 && done < total) throw new IOException("connection closed at " + done + " of " + total + " bytes");
        complete = true;
      } catch (IOException e) {
        last = e;
        pause(attempt);
      }
    }
    if (!complete) {
      throw new IOException("download of " + url + " failed after " + maxAttempts + " attempts (" + (last == null ? "?" : last.getMessage())
          + "); " + (Files.exists(part) ? Files.size(part) : 0) + " bytes are kept in " + part + ": run the same command again to resume", last);
    }
    String actual = sha256(part);
    String want = expectedSha256 != null ? expectedSha256.toLowerCase(Locale.ROOT) : serverSha;
    if (want != null && !want.equals(actual)) {
      Files.deleteIfExists(part);
      throw new ChecksumMismatchException("checksum mismatch for " + url + ": expected SHA-256 " + want + ", got " + actual
          + "; the download was deleted. Run the command again; if it fails again, the file or the checksum has changed.");
    }
    Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new Result(target, Files.size(target), actual, want != null, resumed);
  }

  /** Hugging Face puts a stored file's SHA-256 in X-Linked-ETag (or ETag); null when absent. */
  private static String sha(HttpResponse<?> r) {
    for (String h : new String[] {"x-linked-etag", "etag"}) {
      String v = r.headers().firstValue(h).orElse("").replace("W/", "").replace("\"", "").strip();
      if (SHA256.matcher(v).matches()) return v.toLowerCase(Locale.ROOT);
    }
    return null;
  }

  public static String sha256(Path file) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (InputStream in = Files.newInputStream(file)) {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) >= 0) md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void pause(int attempt) {
    if (attempt >= maxAttempts) return;
    try {
      Thread.sleep(backoff.toMillis() * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
