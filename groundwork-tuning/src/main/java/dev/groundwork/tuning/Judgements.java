package dev.groundwork.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Relevance judgements in BEIR's files: {@code queries.jsonl} ({@code _id, text}) and a qrels TSV
 * ({@code query-id, corpus-id, score}, with a header). Errors name the file and line.
 */
public final class Judgements {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Judgements() {}

  /** Query id to text, in file order. */
  public static Map<String, String> queries(Path file) {
    Map<String, String> out = new LinkedHashMap<>();
    String name = file.getFileName().toString();
    readJsonl(file, (n, line) -> out.put(text(n, "_id", line, name), text(n, "text", line, name)));
    return out;
  }

  /** query id -> (doc id -> relevance), sorted by query id. */
  public static Map<String, Map<String, Integer>> qrels(Path f) {
    Map<String, Map<String, Integer>> out = new TreeMap<>();
    try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      String line;
      int no = 0;
      while ((line = r.readLine()) != null) {
        no++;
        if (line.isBlank() || (no == 1 && line.startsWith("query-id"))) continue;
        String[] p = line.split("\t");
        if (p.length < 3) throw new IllegalArgumentException(f + ":" + no + ": expected query-id<TAB>corpus-id<TAB>score");
        try {
          out.computeIfAbsent(p[0], q -> new LinkedHashMap<>()).put(p[1], Integer.parseInt(p[2].trim()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(f + ":" + no + ": score '" + p[2] + "' is not a whole number");
        }
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException(f + " is missing");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** What is done with each JSON line, with its line number. */
  public interface LineFn {
    void accept(JsonNode node, int line);
  }

  /** Reads a JSON Lines file, skipping blank lines; a line that is not JSON is an error naming it. */
  public static void readJsonl(Path f, LineFn fn) {
    try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      String line;
      int no = 0;
      while ((line = r.readLine()) != null) {
        no++;
        if (line.isBlank()) continue;
        JsonNode n;
        try {
          n = JSON.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalArgumentException(f + ":" + no + ": not valid JSON: " + e.getOriginalMessage());
        }
        fn.accept(n, no);
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException(f + " is missing");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  /** The text of a required field. */
  public static String text(JsonNode n, String field, int line, String file) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) throw new IllegalArgumentException(file + ":" + line + ": missing field '" + field + "'");
    return v.asText();
  }
}
