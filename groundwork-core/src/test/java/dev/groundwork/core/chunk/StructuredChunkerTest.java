package dev.groundwork.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.Block;
import dev.groundwork.core.Chunk;
import dev.groundwork.core.Document;
import dev.groundwork.core.text.Tokens;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class StructuredChunkerTest {
  private static final String[] WORDS = {"queue", "worker", "broker", "retry", "timeout", "job", "cluster", "leader", "disk", "the", "a", "of"};

  /** A random document of sections (heading paths) and paragraphs of random sentences. */
  static Document randomDoc(Random rnd) {
    StringBuilder text = new StringBuilder();
    List<Block> blocks = new ArrayList<>();
    int sections = 1 + rnd.nextInt(5);
    for (int s = 0; s < sections; s++) {
      List<String> path = rnd.nextBoolean() ? List.of("Doc", "Section " + s) : List.of("Doc", "Section " + s, "Sub " + rnd.nextInt(2));
      int paras = 1 + rnd.nextInt(8);
      for (int p = 0; p < paras; p++) {
        if (!text.isEmpty()) text.append("\n\n");
        int start = text.length();
        int sentences = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 60 : 8);
        for (int i = 0; i < sentences; i++) {
          if (i > 0) text.append(' ');
          int words = 3 + rnd.nextInt(rnd.nextInt(20) == 0 ? 400 : 25);
          for (int w = 0; w < words; w++) {
            String word = WORDS[rnd.nextInt(WORDS.length)];
            text.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word).append(w + 1 < words ? " " : ".");
          }
        }
        blocks.add(new Block(start, text.length(), path, null));
      }
    }
    return new Document("d.md", "d.md", "Doc", "text/markdown", text.toString(), blocks);
  }

  @RepeatedTest(value = 40, name = "seeded property {currentRepetition}")
  void leavesCoverEveryBlockAndRespectSizesAndSections(org.junit.jupiter.api.RepetitionInfo info) {
    Random rnd = new Random(1000L + info.getCurrentRepetition());
    Document doc = randomDoc(rnd);
    ChunkingOptions o = new ChunkingOptions(64, 12, true, 256);
    List<Chunk> chunks = new StructuredChunker(o).chunk(doc);
    List<Chunk> leaves = chunks.stream().filter(c -> !c.isParent()).toList();
    boolean[] covered = new boolean[doc.text().length()];
    for (Chunk c : leaves) {
      assertThat(c.text()).isEqualTo(doc.text().substring(c.start(), c.end()));
      assertThat(Tokens.count(c.text())).as("leaf %s size", c.id()).isLessThanOrEqualTo(o.maxTokens());
      for (int i = c.start(); i < c.end(); i++) covered[i] = true;
      // a leaf never spans two sections
      List<Block> touched = doc.blocks().stream().filter(b -> b.start() < c.end() && b.end() > c.start()).toList();
      assertThat(touched.stream().map(Block::headingPath).distinct()).hasSize(1);
      assertThat(c.headingPath()).isEqualTo(touched.get(0).headingPath());
    }
    for (Block b : doc.blocks()) {
      for (int i = b.start(); i < b.end(); i++) {
        if (!Character.isWhitespace(doc.text().charAt(i))) assertThat(covered[i]).as("char %d of block %s covered", i, b).isTrue();
      }
    }
    // parents: childCount matches the leaves that link to them, and each parent contains its leaves
    Map<String, Integer> links = new HashMap<>();
    for (Chunk c : leaves) if (c.parentId() != null) links.merge(c.parentId(), 1, Integer::sum);
    for (Chunk p : chunks.stream().filter(Chunk::isParent).toList()) {
      assertThat(links.get(p.id())).isEqualTo(p.childCount());
      assertThat(p.childCount()).isGreaterThan(1);
      for (Chunk c : leaves) {
        if (p.id().equals(c.parentId())) {
          assertThat(c.start()).isBetween(p.start(), p.end());
          assertThat(c.headingPath()).startsWith(p.headingPath().toArray(String[]::new));
        }
      }
    }
    // deterministic
    assertThat(new StructuredChunker(o).chunk(doc)).isEqualTo(chunks);
  }

  @Test
  void smallDocumentIsOneLeafWithoutParent() {
    String t = "Tidewater is a job queue. It retries jobs.";
    Document d = new Document("a.txt", "a.txt", "A", "text/plain", t, List.of(new Block(0, t.length(), List.of(), null)));
    List<Chunk> chunks = new StructuredChunker(ChunkingOptions.DEFAULT).chunk(d);
    assertThat(chunks).hasSize(1);
    assertThat(chunks.get(0).id()).isEqualTo("a.txt#0");
    assertThat(chunks.get(0).parentId()).isNull();
    assertThat(chunks.get(0).text()).isEqualTo(t);
  }

  @Test
  void flatModeHasNoParents() {
    Document doc = randomDoc(new Random(7));
    List<Chunk> chunks = new StructuredChunker(new ChunkingOptions(32, 4, false, 256)).chunk(doc);
    assertThat(chunks).isNotEmpty().noneMatch(Chunk::isParent).allMatch(c -> c.parentId() == null);
  }

  @Test
  void longParagraphIsSplitAtSentencesWithOverlap() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 40; i++) sb.append("Sentence number ").append(i).append(" talks about queues and workers. ");
    String t = sb.toString().strip();
    Document d = new Document("p.txt", "p.txt", "P", "text/plain", t, List.of(new Block(0, t.length(), List.of(), null)));
    List<Chunk> leaves = new StructuredChunker(new ChunkingOptions(40, 10, false, 1000)).chunk(d);
    assertThat(leaves.size()).isGreaterThan(5);
    for (Chunk c : leaves) assertThat(c.text()).startsWith("Sentence number").endsWith(".");
    // consecutive leaves overlap by a whole sentence
    assertThat(leaves.get(1).start()).isLessThan(leaves.get(0).end());
  }

  @Test
  void optionsAreValidatedWithTheirNames() {
    assertThatThrownBy(() -> new ChunkingOptions(8, 0, true, 100)).hasMessageContaining("chunking.max_tokens");
    assertThatThrownBy(() -> new ChunkingOptions(100, 60, true, 100)).hasMessageContaining("chunking.overlap_tokens");
    assertThatThrownBy(() -> new ChunkingOptions(100, 10, true, 50)).hasMessageContaining("chunking.parent_max_tokens");
  }
}
