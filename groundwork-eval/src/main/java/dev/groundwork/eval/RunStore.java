package dev.groundwork.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Stores runs as JSON files in a folder ({@code .groundwork/runs/}), written atomically. */
public final class RunStore {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final Path dir;

  public RunStore(Path dir) {
    this.dir = dir;
  }

  /** Writes the run to {@code <id>.json} (a temporary file moved into place) and returns its path. */
  public Path save(EvalRun run) {
    try {
      Files.createDirectories(dir);
      Path target = dir.resolve(run.id() + ".json");
      Path tmp = Files.createTempFile(dir, ".run-", ".json");
      JSON.writeValue(tmp.toFile(), run);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the run in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Reads a stored run; the message names the file when it is not a run of a known format and version. */
  public static EvalRun read(Path file) {
    try {
      var node = JSON.readTree(file.toFile());
      if (!EvalRun.FORMAT.equals(node.path("format").asText()) || node.path("version").asInt() != 1) {
        throw new IllegalArgumentException(file + " is not a " + EvalRun.FORMAT + " v1 file");
      }
      return JSON.treeToValue(node, EvalRun.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read run " + file + ": " + e.getMessage(), e);
    }
  }
}
