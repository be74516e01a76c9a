package dev.groundwork.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.core.Block;
import dev.groundwork.core.Document;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A BEIR folder: {@code corpus.jsonl} ({@code _id, title, text}), {@code queries.jsonl}
 * ({@code _id, text}) and {@code qrels/<split>.tsv} ({@code query-id, corpus-id, score} with a header).
 * Errors name the file and line.
 */
public final class BeirDataset {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  public BeirDataset(Path dir) {
    this.dir = dir;
    for (String f : List.of("corpus.jsonl", "queries.jsonl")) {
      if (!Files.isRegularFile(dir.resolve(f))) {
        throw new IllegalArgumentException(dir + " is not a BEIR folder: " + f + " is missing (expected corpus.jsonl, queries.jsonl, qrels/<split>.tsv)");
      }
    }
  }

  public String name() {
    return dir.toAbsolutePath().normalize().getFileName().toString();
  }

  /** Every corpus document as a Groundwork document: the title, and the text as one block. */
  public List<Document> corpus() {
    List<Document> out = new ArrayList<>();
    readJsonl(dir.resolve("corpus.jsonl"), (n, line) -> {
      String id = text(n, "_id", line, "corpus.jsonl");
      String title = n.path("title").asText("");
      String body = n.path("text").asText("");
      if (body.isBlank() && title.isBlank()) return;
      String text = body.isBlank() ? title : body;
      out.add(new Document(id, id, title, "text/plain", text, List.of(new Block(0, text.length(), List.of(), null))));
    });
    return out;
  }

  public Map<String, String> queries() {
    Map<String, String> out = new LinkedHashMap<>();
    readJsonl(dir.resolve("queries.jsonl"), (n, line) -> out.put(text(n, "_id", line, "queries.jsonl"), text(n, "text", line, "queries.jsonl")));
    return out;
  }

  /** query id -> (doc id -> relevance), sorted by query id. */
  public Map<String, Map<String, Integer>> qrels(String split) {
    Path f = dir.resolve("qrels").resolve(split + ".tsv");
    if (!Files.isRegularFile(f)) throw new IllegalArgumentException("no qrels for split '" + split + "': " + f + " is missing");
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
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private interface LineFn {
    void accept(JsonNode node, int line);
  }

  private static void readJsonl(Path f, LineFn fn) {
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
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode n, String field, int line, String file) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) throw new IllegalArgumentException(file + ":" + line + ": missing field '" + field + "'");
    return v.asText();
  }

}
