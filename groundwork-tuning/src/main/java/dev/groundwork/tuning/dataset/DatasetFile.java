package dev.groundwork.tuning.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The canonical dataset on disk: JSON Lines, one {@link Example} per line ({@code {"id", "task",
 * "messages": [{"role", "content"}], "metadata": {...}}}). Reading never stops at a bad line: each
 * becomes a {@link Problem} naming the line, for {@code dataset check} to report. Writing goes to a
 * temporary file renamed into place, so a failed write leaves the old file whole.
 */
public final class DatasetFile {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A line that is not an example, and why. */
  public record Problem(int line, String message) {}

  /** What a file holds: its examples and its bad lines. */
  public record Read(List<Example> examples, List<Problem> problems) {}

  private DatasetFile() {}

  public static Read read(Path file) {
    List<Example> out = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) continue;
        try {
          out.add(parse(JSON.readTree(line)));
        } catch (IOException | IllegalArgumentException e) {
          problems.add(new Problem(n, e instanceof IOException ? "not JSON: " + e.getMessage().lines().findFirst().orElse("") : e.getMessage()));
        }
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": no such dataset file; build one with: groundwork dataset build --output " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return new Read(out, problems);
  }

  static Example parse(JsonNode n) {
    if (!n.isObject()) throw new IllegalArgumentException("not an object");
    if (!n.path("id").isTextual() || n.path("id").asText().isBlank()) throw new IllegalArgumentException("no \"id\"");
    if (!n.path("messages").isArray()) throw new IllegalArgumentException("no \"messages\" array");
    List<Example.Message> msgs = new ArrayList<>();
    for (JsonNode m : n.path("messages")) {
      if (!m.path("role").isTextual() || !m.path("content").isTextual()) throw new IllegalArgumentException("a message needs \"role\" and \"content\" strings");
      msgs.add(new Example.Message(m.get("role").asText(), m.get("content").asText()));
    }
    Map<String, Object> meta = n.path("metadata").isObject() ? JSON.convertValue(n.get("metadata"), LinkedHashMap.class) : Map.of();
    if (n.has("rejected") && !n.get("rejected").isTextual() && !n.get("rejected").isNull()) throw new IllegalArgumentException("\"rejected\" must be a string");
    return new Example(n.get("id").asText(), n.path("task").asText("grounded-qa"), msgs, meta, n.path("rejected").isTextual() ? n.get("rejected").asText() : null);
  }

  /** Writes {@code examples}, replacing {@code file} whole. */
  public static void write(Path file, List<Example> examples) {
    List<String> lines = new ArrayList<>();
    for (Example e : examples) lines.add(line(e));
    writeLines(file, lines);
  }

  static String line(Example e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("task", e.task());
    List<Map<String, Object>> msgs = new ArrayList<>();
    for (Example.Message x : e.messages()) msgs.add(Map.of("role", x.role(), "content", x.content()));
    m.put("messages", msgs);
    if (e.rejected() != null) m.put("rejected", e.rejected());
    m.put("metadata", e.metadata());
    try {
      return JSON.writeValueAsString(m);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** Writes lines to {@code file} through a temporary file in the same folder. */
  public static void writeLines(Path file, List<String> lines) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
      try {
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
