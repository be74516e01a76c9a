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
 * The SQuAD JSON format (v1.1, and v2.0 with unanswerable questions): articles of paragraphs, each
 * with questions and gold answer strings.
 * Errors name the file and what is missing.
 */
public final class SquadDataset {
  /**
   * A question with its gold answers. SQuAD 2.0 adds unanswerable questions: {@code impossible}, no
   * answers, and the {@code plausible} spans a careless reader would give.
   */
  public record Question(String id, String text, List<String> answers, boolean impossible, List<String> plausible, String paragraph) {
    public Question(String id, String text, List<String> answers) {
      this(id, text, answers, false, List.of(), null);
    }
  }

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
          List<String> answers = texts(q.path("answers"));
          boolean impossible = q.path("is_impossible").asBoolean(false);
          if (impossible) {
            qs.add(new Question(q.path("id").asText(), q.path("question").asText(), List.of(), true, texts(q.path("plausible_answers")), id));
          } else if (!answers.isEmpty()) {
            qs.add(new Question(q.path("id").asText(), q.path("question").asText(), answers, false, List.of(), id));
          }
        }
      }
      out.add(new Article(title, paras, qs));
    }
    if (out.isEmpty()) throw new IllegalArgumentException(file + ": no articles");
    return out;
  }

  /** True when any question is marked {@code is_impossible} (the SQuAD 2.0 format). */
  public static boolean hasUnanswerable(List<Article> articles) {
    return articles.stream().anyMatch(a -> a.questions().stream().anyMatch(Question::impossible));
  }

  private static List<String> texts(JsonNode answers) {
    List<String> out = new ArrayList<>();
    for (JsonNode ans : answers) out.add(ans.path("text").asText());
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

  /** SQuAD's exact match: the normalised prediction equals a normalised gold answer. */
  public static boolean exactMatch(String prediction, List<String> answers) {
    String p = normalise(prediction);
    return answers.stream().anyMatch(a -> normalise(a).equals(p));
  }

  /** SQuAD's token F1 against the best-matching gold answer. */
  public static double f1(String prediction, List<String> answers) {
    double best = 0;
    List<String> p = words(prediction);
    for (String a : answers) {
      List<String> g = words(a);
      if (p.isEmpty() || g.isEmpty()) {
        best = Math.max(best, p.equals(g) ? 1 : 0);
        continue;
      }
      java.util.Map<String, Integer> counts = new java.util.HashMap<>();
      for (String w : g) counts.merge(w, 1, Integer::sum);
      int same = 0;
      for (String w : p) {
        Integer c = counts.get(w);
        if (c != null && c > 0) {
          same++;
          counts.put(w, c - 1);
        }
      }
      if (same == 0) continue;
      double precision = (double) same / p.size(), recall = (double) same / g.size();
      best = Math.max(best, 2 * precision * recall / (precision + recall));
    }
    return best;
  }

  private static List<String> words(String s) {
    String n = normalise(s);
    return n.isEmpty() ? List.of() : List.of(n.split(" "));
  }
}
