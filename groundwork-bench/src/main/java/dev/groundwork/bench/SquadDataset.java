package dev.groundwork.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.core.Block;
import dev.groundwork.core.Document;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQuAD v1.1 JSON format: articles of paragraphs, each with questions and gold answer strings.
 * Errors name the file and what is missing.
 */
public final class SquadDataset {
  /** A question with its gold answers. */
  public record Question(String id, String text, List<String> answers) {}

  /** An article: its paragraphs as documents and all their questions. */
  public record Article(String title, List<Document> paragraphs, List<Question> questions) {}

  private SquadDataset() {}

  public static List<Article> read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readAllBytes(file));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
    JsonNode data = root.get("data");
    if (data == null || !data.isArray()) throw new IllegalArgumentException(file + ": not a SQuAD file (no \"data\" array)");
    List<Article> out = new ArrayList<>();
    for (JsonNode a : data) {
      String title = a.path("title").asText().replace('_', ' ');
      List<Document> paras = new ArrayList<>();
      List<Question> qs = new ArrayList<>();
      int p = 0;
      for (JsonNode para : a.path("paragraphs")) {
        String ctx = para.path("context").asText();
        String id = a.path("title").asText() + "/p" + p++;
        paras.add(new Document(id, id, title, "text/plain", ctx, List.of(new Block(0, ctx.length(), List.of(), null))));
        for (JsonNode q : para.path("qas")) {
          List<String> answers = new ArrayList<>();
          for (JsonNode ans : q.path("answers")) answers.add(ans.path("text").asText());
          if (!answers.isEmpty()) qs.add(new Question(q.path("id").asText(), q.path("question").asText(), answers));
        }
      }
      out.add(new Article(title, paras, qs));
    }
    if (out.isEmpty()) throw new IllegalArgumentException(file + ": no articles");
    return out;
  }

  /** SQuAD answer normalisation: lower case, no punctuation, no articles, single spaces. */
  public static String normalise(String s) {
    String t = s.toLowerCase(java.util.Locale.ROOT).replaceAll("[\\p{Punct}‘’“”–—]", " ");
    t = t.replaceAll("\\b(a|an|the)\\b", " ");
    return t.replaceAll("\\s+", " ").strip();
  }

  /** True when any gold answer, normalised, occurs in {@code text} normalised (on word boundaries). */
  public static boolean contains(String text, List<String> answers) {
    String t = " " + normalise(text) + " ";
    for (String a : answers) {
      String n = normalise(a);
      if (!n.isEmpty() && t.contains(" " + n + " ")) return true;
    }
    return false;
  }
}
