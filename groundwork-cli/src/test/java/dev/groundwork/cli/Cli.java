package dev.groundwork.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the CLI in-process and captures what it printed. */
record Cli(int code, String out, String err) {
  static Cli run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.execute(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
    return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  JsonNode json() {
    try {
      return new ObjectMapper().readTree(out);
    } catch (Exception e) {
      throw new AssertionError("stdout is not one JSON document: " + out + "\nstderr: " + err, e);
    }
  }

  /** The last line of stdout as JSON (bench output). */
  JsonNode lastLineJson() {
    String[] lines = out.strip().split("\n");
    try {
      return new ObjectMapper().readTree(lines[lines.length - 1]);
    } catch (Exception e) {
      throw new AssertionError("last stdout line is not JSON: " + out, e);
    }
  }

  /**
   * The shared data folder: $GROUNDWORK_SHARED_DATA, else a {@code shared/data} found walking up from
   * the working directory (the checkout's sibling {@code ../shared}), or null.
   */
  static Path sharedData() {
    String env = System.getenv("GROUNDWORK_SHARED_DATA");
    if (env != null && Files.isDirectory(Path.of(env).resolve("scifact"))) return Path.of(env);
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path d = p.resolve("shared").resolve("data");
      if (Files.isDirectory(d.resolve("scifact"))) return d;
    }
    return null;
  }
}
