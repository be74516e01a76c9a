package dev.groundwork.models.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.testkit.RawHttpServer;
import dev.groundwork.testkit.SharedData;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The downloader against a local server that serves the stories260K file, with ranges, cuts and wrong checksums. */
class ModelDownloaderTest {
  static final String SHA = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";
  @TempDir Path dir;
  byte[] file;
  RawHttpServer server;
  final List<String> ranges = Collections.synchronizedList(new ArrayList<>());
  /** Requests (counted from 1) that are cut after CUT_AT bytes of body. */
  volatile int cutRequestsUpTo = 0;
  volatile boolean honourRanges = true;
  volatile String linkedEtag = null;
  final AtomicInteger requests = new AtomicInteger();
  static final int CUT_AT = 300_000;
  static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

  @BeforeEach
  void serve() throws IOException {
    file = Files.readAllBytes(SharedData.require("tinyllamas-stories260K/stories260K.gguf"));
    server = new RawHttpServer((req, res) -> {
      if (!req.path().equals("/stories260K.gguf")) {
        res.send(404, "text/plain", "not found");
        return;
      }
      int n = requests.incrementAndGet();
      String range = req.header("Range");
      ranges.add(String.valueOf(range));
      int from = 0;
      Matcher m = range == null ? null : RANGE.matcher(range);
      if (m != null && m.matches() && honourRanges) from = Integer.parseInt(m.group(1));
      if (linkedEtag != null) res.header("X-Linked-ETag", "\"" + linkedEtag + "\"");
      if (from >= file.length && honourRanges && range != null) {
        res.send(416, "text/plain", "");
        return;
      }
      if (from > 0) res.header("Content-Range", "bytes " + from + "-" + (file.length - 1) + "/" + file.length);
      res.header("Content-Type", "application/octet-stream");
      OutputStream os = res.start(from > 0 ? 206 : 200, file.length - from);
      int len = file.length - from;
      if (n <= cutRequestsUpTo) {
        os.write(file, from, Math.min(len, CUT_AT));
        res.cut();
        return;
      }
      os.write(file, from, len);
      os.flush();
    });
  }

  @AfterEach
  void stop() {
    server.close();
  }

  URI url(String name) {
    return URI.create("http://127.0.0.1:" + server.port() + "/" + name);
  }

  ModelDownloader downloader(int attempts) {
    return new ModelDownloader(HttpClient.newHttpClient(), attempts, Duration.ofMillis(10));
  }

  static final class Recorder implements ModelDownloader.Listener {
    long total = -2, already = -2, last;

    public void start(long t, long a) {
      total = t;
      already = a;
    }

    public void progress(long d) {
      last = d;
    }
  }

  @Test
  void downloadsAndVerifiesTheChecksum() throws IOException {
    Recorder r = new Recorder();
    ModelDownloader.Result res = downloader(3).download(url("stories260K.gguf"), dir.resolve("m.gguf"), SHA, r);
    assertThat(res.verified()).isTrue();
    assertThat(Files.readAllBytes(dir.resolve("m.gguf"))).isEqualTo(file);
    assertThat(dir.resolve("m.gguf.part")).doesNotExist();
    assertThat(r.total).isEqualTo(file.length);
    assertThat(r.last).isEqualTo(file.length);
  }

  @Test
  void aConnectionCutMidFileResumesWithARangeRequest() throws IOException {
    cutRequestsUpTo = 1;
    ModelDownloader.Result res = downloader(3).download(url("stories260K.gguf"), dir.resolve("m.gguf"), SHA, new Recorder());
    assertThat(Files.readAllBytes(res.file())).isEqualTo(file);
    assertThat(ranges).hasSize(2);
    assertThat(ranges.get(0)).isEqualTo("null");
    assertThat(ranges.get(1)).matches("bytes=[1-9][0-9]*-"); // resumed from what arrived before the cut
  }

  @Test
  void anInterruptedRunKeepsItsBytesAndTheNextRunResumes() throws IOException {
    cutRequestsUpTo = 1;
    Path target = dir.resolve("m.gguf");
    assertThatThrownBy(() -> downloader(1).download(url("stories260K.gguf"), target, SHA, new Recorder()))
        .hasMessageContaining("run the same command again to resume");
    long kept = Files.size(dir.resolve("m.gguf.part"));
    assertThat(kept).isBetween(1L, (long) CUT_AT);
    assertThat(target).doesNotExist();

    Recorder r = new Recorder();
    ModelDownloader.Result res = downloader(1).download(url("stories260K.gguf"), target, SHA, r);
    assertThat(res.resumed()).isTrue();
    assertThat(r.already).isEqualTo(kept);
    assertThat(Files.readAllBytes(target)).isEqualTo(file);
  }

  @Test
  void aServerThatIgnoresRangesRestartsTheFile() throws IOException {
    cutRequestsUpTo = 1;
    honourRanges = false;
    ModelDownloader.Result res = downloader(3).download(url("stories260K.gguf"), dir.resolve("m.gguf"), SHA, new Recorder());
    assertThat(Files.readAllBytes(res.file())).isEqualTo(file);
    assertThat(res.resumed()).isFalse();
  }

  @Test
  void aWrongChecksumDeletesTheDownload() {
    String wrong = "0".repeat(64);
    assertThatThrownBy(() -> downloader(3).download(url("stories260K.gguf"), dir.resolve("m.gguf"), wrong, new Recorder()))
        .isInstanceOf(ModelDownloader.ChecksumMismatchException.class).hasMessageContaining(wrong).hasMessageContaining(SHA);
    assertThat(dir.resolve("m.gguf")).doesNotExist();
    assertThat(dir.resolve("m.gguf.part")).doesNotExist();
  }

  @Test
  void theServersLinkedEtagIsUsedWhenNoChecksumIsPinned() throws IOException {
    linkedEtag = SHA;
    assertThat(downloader(3).download(url("stories260K.gguf"), dir.resolve("a.gguf"), null, new Recorder()).verified()).isTrue();
    linkedEtag = "f".repeat(64);
    assertThatThrownBy(() -> downloader(3).download(url("stories260K.gguf"), dir.resolve("b.gguf"), null, new Recorder()))
        .isInstanceOf(ModelDownloader.ChecksumMismatchException.class);
  }

  @Test
  void aMissingFileFailsAtOnceWithoutRetries() {
    assertThatThrownBy(() -> downloader(5).download(url("missing.gguf"), dir.resolve("x.gguf"), null, new Recorder()))
        .hasMessageContaining("HTTP 404");
  }

  @Test
  void namesResolveInTheModelsFolderAndMissingOnesSayHowToPull() throws IOException {
    assertThatThrownBy(() -> ModelCatalog.resolve("stories260k", dir)).hasMessageContaining("groundwork models pull stories260k");
    Files.write(dir.resolve("stories260K.gguf"), file);
    assertThat(ModelCatalog.resolve("stories260k", dir)).isEqualTo(dir.resolve("stories260K.gguf"));
    assertThat(ModelCatalog.resolve(dir.resolve("stories260K.gguf").toString(), Path.of("/nonexistent"))).exists();
    assertThatThrownBy(() -> ModelCatalog.resolve("/no/such/model.gguf", dir)).hasMessageContaining("no model file at /no/such/model.gguf");
  }
}
