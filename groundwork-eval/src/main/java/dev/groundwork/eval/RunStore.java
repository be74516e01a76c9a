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

  /**
   * Stores a new run without replacing another: under its id when no run has it, else under the id
   * with {@code -2}, {@code -3}... (two runs of one suite started in the same millisecond, as two
   * concurrent {@code /api/evals} calls can). The name is claimed atomically before the run is
   * written. Returns the run as stored, with the id it got.
   */
  public EvalRun saveNew(EvalRun run) {
    try {
      Files.createDirectories(dir);
      for (int n = 1; ; n++) {
        String id = n == 1 ? run.id() : run.id() + "-" + n;
        try {
          Files.createFile(dir.resolve(id + ".json")); // empty until save() moves the run over it
        } catch (java.nio.file.FileAlreadyExistsException taken) {
          continue;
        }
        EvalRun stored = id.equals(run.id()) ? run : run.withId(id);
        try {
          save(stored);
        } catch (RuntimeException e) {
          Files.deleteIfExists(dir.resolve(id + ".json")); // the empty claim, so nothing half-made is left
          throw e;
        }
        return stored;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the run in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Writes the run to {@code <id>.json} (a temporary file moved into place), replacing any file of that id, and returns its path. */
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

  /**
   * Finds a run: a path to a run file, a run id in this store, or {@code last} for the newest stored
   * run of {@code suite} other than {@code exceptId}.
   */
  public EvalRun find(String ref, String suite, String exceptId) {
    if (ref.equals("last")) {
      // list() leaves out files that are not runs (and a name claimed by saveNew, still empty)
      java.util.List<EvalRun> runs;
      try {
        runs = list();
      } catch (UncheckedIOException e) {
        throw new IllegalArgumentException("no earlier run of suite '" + suite + "': " + dir + " cannot be read");
      }
      return runs.stream().filter(r -> r.suite().equals(suite) && !r.id().equals(exceptId)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no earlier run of suite '" + suite + "' in " + dir + " to compare with"));
    }
    Path p = Path.of(ref);
    if (Files.isRegularFile(p)) return read(p);
    Path byId = dir.resolve(ref.endsWith(".json") ? ref : ref + ".json");
    if (Files.isRegularFile(byId)) return read(byId);
    throw new IllegalArgumentException("no run '" + ref + "': not a file, and not an id in " + dir);
  }

  /** A stored run by id only (no paths: safe for ids from a network request). */
  public EvalRun byId(String id) {
    if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,200}") || id.contains("..")) throw new IllegalArgumentException("not a run id: '" + id + "'");
    Path f = dir.resolve(id + ".json");
    if (!Files.isRegularFile(f)) throw new java.util.NoSuchElementException("no run " + id);
    return read(f);
  }

  /** Every stored run, newest first; files that are not runs are left out. */
  public java.util.List<EvalRun> list() {
    if (!Files.isDirectory(dir)) return java.util.List.of();
    try (var s = Files.list(dir)) {
      java.util.List<EvalRun> out = new java.util.ArrayList<>();
      for (Path p : s.filter(x -> x.toString().endsWith(".json") && !x.getFileName().toString().startsWith(".")).sorted(java.util.Comparator.reverseOrder()).toList()) {
        try {
          out.add(read(p));
        } catch (IllegalArgumentException e) {
          // not a run of a format this version reads
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list runs in " + dir + ": " + e.getMessage(), e);
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
