package dev.groundwork.bench;

import dev.groundwork.core.Block;
import dev.groundwork.core.Document;
import dev.groundwork.tuning.Judgements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A BEIR folder: {@code corpus.jsonl} ({@code _id, title, text}), {@code queries.jsonl}
 * ({@code _id, text}) and {@code qrels/<split>.tsv} ({@code query-id, corpus-id, score} with a header).
 * Errors name the file and line.
 *
 * <p>A SQuAD JSON file reads as a BEIR set too: its paragraphs are the corpus, its answerable
 * questions the queries, each judged relevant to its own paragraph, all in one split, {@code test}.
 */
public final class BeirDataset {

  private final Path dir;
  /** The SQuAD file's articles, when the dataset is one; else null. */
  private final List<SquadDataset.Article> squad;

  public BeirDataset(Path dir) {
    this.dir = dir;
    if (Files.isRegularFile(dir) && dir.getFileName().toString().endsWith(".json")) {
      this.squad = SquadDataset.read(dir);
      return;
    }
    this.squad = null;
    for (String f : List.of("corpus.jsonl", "queries.jsonl")) {
      if (!Files.isRegularFile(dir.resolve(f))) {
        throw new IllegalArgumentException(dir + " is not a BEIR folder: " + f + " is missing (expected corpus.jsonl, queries.jsonl, qrels/<split>.tsv)");
      }
    }
  }

  public String name() {
    String n = dir.toAbsolutePath().normalize().getFileName().toString();
    return squad == null ? n : "squad-" + n.replaceFirst("\\.json$", "");
  }

  /** Every corpus document as a Groundwork document: the title, and the text as one block. */
  public List<Document> corpus() {
    List<Document> out = new ArrayList<>();
    if (squad != null) {
      for (SquadDataset.Article a : squad) out.addAll(a.paragraphs());
      return out;
    }
    Judgements.readJsonl(dir.resolve("corpus.jsonl"), (n, line) -> {
      String id = Judgements.text(n, "_id", line, "corpus.jsonl");
      String title = n.path("title").asText("");
      String body = n.path("text").asText("");
      if (body.isBlank() && title.isBlank()) return;
      String text = body.isBlank() ? title : body;
      out.add(new Document(id, id, title, "text/plain", text, List.of(new Block(0, text.length(), List.of(), null))));
    });
    return out;
  }

  public Map<String, String> queries() {
    if (squad != null) {
      Map<String, String> out = new java.util.LinkedHashMap<>();
      for (SquadDataset.Article a : squad) for (SquadDataset.Question q : a.questions()) if (!q.impossible()) out.put(q.id(), q.text());
      return out;
    }
    return Judgements.queries(dir.resolve("queries.jsonl"));
  }

  /** query id -> (doc id -> relevance), sorted by query id. */
  public Map<String, Map<String, Integer>> qrels(String split) {
    if (squad != null) {
      if (!split.equals("test")) throw new IllegalArgumentException("a SQuAD file has one split, test; no '" + split + "'");
      Map<String, Map<String, Integer>> out = new java.util.TreeMap<>();
      for (SquadDataset.Article a : squad) for (SquadDataset.Question q : a.questions()) if (!q.impossible()) out.put(q.id(), Map.of(q.paragraph(), 1));
      return out;
    }
    Path f = dir.resolve("qrels").resolve(split + ".tsv");
    if (!Files.isRegularFile(f)) throw new IllegalArgumentException("no qrels for split '" + split + "': " + f + " is missing");
    return Judgements.qrels(f);
  }
}
