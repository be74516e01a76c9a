package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.embeddings.EmbeddingModel;
import dev.groundwork.index.lucene.LuceneIndex;
import dev.groundwork.index.lucene.LuceneIndexOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real ingest process with SIGKILL after its first index commit, then ingests again and
 * checks that the index is complete and consistent: the same documents, hashes and chunks as an
 * ingest that was never interrupted.
 */
class KillDuringIngestIT {
  static final int FILES = 150;
  @TempDir Path killed;
  @TempDir Path clean;

  static void corpus(Path root) throws Exception {
    Files.createDirectories(root.resolve("docs"));
    for (int i = 0; i < FILES; i++) {
      Files.writeString(root.resolve("docs/note-" + i + ".md"), "# Note " + i + "\n\nThis note is about topic" + i + " and nothing else.\n");
    }
    Files.writeString(root.resolve("groundwork.yaml"), "ingest:\n  commit_every: 1\nembedder:\n  threads: 1\n");
  }

  @Test
  void aKilledIngestLeavesAConsistentIndexThatTheNextRunCompletes() throws Exception {
    corpus(killed);
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "ingest", "-C", killed.toString(), "docs")
        .redirectErrorStream(true).redirectOutput(killed.resolve("child.log").toFile()).start();
    Path index = killed.resolve(".groundwork/index");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!hasCommit(index) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
    assertThat(p.isAlive()).as("still ingesting when the first commit appeared; log: %s", Files.readString(killed.resolve("child.log"))).isTrue();
    p.destroyForcibly(); // SIGKILL: no shutdown hooks, no rollback
    p.waitFor(30, TimeUnit.SECONDS);

    int committed;
    try (LuceneIndex idx = LuceneIndex.openReadOnly(index, options())) {
      committed = idx.documents().size();
      assertThat(committed).isBetween(1, FILES - 1);
      assertThat(idx.leafCount()).isEqualTo(committed); // each document's chunks arrived with it
    }

    Cli resumed = Cli.run("ingest", "-C", killed.toString(), "--json", "docs");
    assertThat(resumed.code()).as(resumed.err()).isZero();
    JsonNode r = resumed.json();
    assertThat(r.get("unchanged").asInt()).isEqualTo(committed);
    assertThat(r.get("added").asInt()).isEqualTo(FILES - committed);

    corpus(clean);
    assertThat(Cli.run("ingest", "-C", clean.toString(), "docs").code()).isZero();
    try (LuceneIndex a = LuceneIndex.openReadOnly(index, options());
        LuceneIndex b = LuceneIndex.openReadOnly(clean.resolve(".groundwork/index"), options())) {
      Map<String, String> docs = a.documents();
      assertThat(docs).hasSize(FILES).isEqualTo(b.documents());
      assertThat(a.leafCount()).isEqualTo(b.leafCount()).isEqualTo(FILES);
    }
    for (int i : List.of(0, FILES / 2, FILES - 1)) {
      JsonNode hits = Cli.run("search", "-C", killed.toString(), "--json", "--mode", "bm25", "--k", "1", "topic" + i).json().get("hits");
      assertThat(hits.get(0).get("source").asText()).isEqualTo("docs/note-" + i + ".md");
    }
  }

  static LuceneIndexOptions options() {
    EmbeddingModel m = EmbeddingModel.named(EmbeddingModel.DEFAULT);
    return LuceneIndexOptions.defaults(m.name(), m.dimension());
  }

  static boolean hasCommit(Path index) throws Exception {
    if (!Files.isDirectory(index)) return false;
    try (Stream<Path> s = Files.list(index)) {
      return s.anyMatch(f -> f.getFileName().toString().startsWith("segments_"));
    }
  }
}
