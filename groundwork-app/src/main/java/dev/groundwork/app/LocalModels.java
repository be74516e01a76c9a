package dev.groundwork.app;

import dev.groundwork.models.llamacpp.ModelCatalog;
import dev.groundwork.models.llamacpp.ModelDownloader;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The local GGUF models behind {@code llamacpp:NAME}: the built-in names, the files in the models
 * folder, and downloads of either (resumed, SHA-256 checked). Needs no project.
 */
public final class LocalModels {
  private LocalModels() {}

  /** One row of {@link #list}: a built-in name (path null until pulled) or a local file. */
  public record Row(String name, String path, long bytes, String description) {}

  /** What {@link #pull} fetched: the file, its size and SHA-256, whether that was checked, and the name to use it by. */
  public record Pulled(Path file, long bytes, String sha256, boolean verified, boolean resumed, String name) {}

  /** Told how a download goes: once at each (re)start with the total (-1 when unknown) and the bytes already there, then as bytes arrive. */
  public interface Progress {
    void start(long total, long already);

    void progress(long done);
  }

  /** The models folder: {@code flag}, else $GROUNDWORK_MODELS_DIR, else ~/.groundwork/models. */
  public static Path dir(Path flag, Map<String, String> env) {
    return flag != null ? flag : ModelCatalog.defaultDir(env);
  }

  /** The built-in models (pulled or not), then the other .gguf files in {@code dir}, by name. */
  public static List<Row> list(Path dir) throws IOException {
    List<Row> rows = new ArrayList<>();
    List<String> known = new ArrayList<>();
    for (ModelCatalog.Entry e : ModelCatalog.ENTRIES) {
      Path f = dir.resolve(e.fileName());
      known.add(e.fileName());
      boolean local = Files.isRegularFile(f);
      rows.add(new Row(e.name(), local ? f.toString() : null, local ? Files.size(f) : e.bytes(), e.description()));
    }
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        for (Path f : s.filter(p -> p.toString().endsWith(".gguf")).sorted().toList()) {
          if (!known.contains(f.getFileName().toString())) rows.add(new Row(f.getFileName().toString(), f.toString(), Files.size(f), "(local file)"));
        }
      }
    }
    return rows;
  }

  /**
   * Downloads {@code what}, a built-in name or an http(s) URL of a .gguf file, into {@code dir};
   * resumes a partial file and checks the SHA-256 when one is known (built in, {@code sha256}, or the
   * server's).
   */
  public static Pulled pull(String what, Path dir, String sha256, Progress progress) throws IOException {
    Optional<ModelCatalog.Entry> entry = ModelCatalog.find(what);
    URI url;
    String file;
    String sha = sha256;
    if (entry.isPresent()) {
      url = URI.create(entry.get().url());
      file = entry.get().fileName();
      if (sha == null) sha = entry.get().sha256();
    } else if (what.startsWith("http://") || what.startsWith("https://")) {
      url = URI.create(what);
      String path = url.getPath();
      file = path.substring(path.lastIndexOf('/') + 1);
      if (file.isBlank()) throw new BadInputException("the URL names no file: " + what);
    } else {
      throw new BadInputException("unknown model '" + what + "'; pull a URL or one of: "
          + String.join(", ", ModelCatalog.ENTRIES.stream().map(ModelCatalog.Entry::name).toList()));
    }
    if (sha != null && !sha.matches("[0-9a-fA-F]{64}")) throw new BadInputException("--sha256 must be 64 hex digits");
    ModelDownloader.Result r = ModelDownloader.standard().download(url, dir.resolve(file), sha, new ModelDownloader.Listener() {
      @Override
      public void start(long total, long already) {
        progress.start(total, already);
      }

      @Override
      public void progress(long done) {
        progress.progress(done);
      }
    });
    return new Pulled(r.file(), r.bytes(), r.sha256(), r.verified(), r.resumed(), entry.map(ModelCatalog.Entry::name).orElse(r.file().toString()));
  }
}
