package dev.groundwork.core.retrieve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.Chunk;
import dev.groundwork.core.ScoredChunk;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AutoMergerTest {
  static Chunk leaf(String id, String parent) {
    return new Chunk(id, "d", "d", "", null, List.of(), null, 0, 1, id, parent, 0);
  }

  static final Chunk P = new Chunk("d#p0", "d", "d", "", null, List.of(), null, 0, 10, "parent text", null, 4);

  @Test
  void mergesWhenEnoughLeavesOfAParentAreRetrieved() {
    List<ScoredChunk> hits = List.of(new ScoredChunk(leaf("x", null), 0.9), new ScoredChunk(leaf("d#1", "d#p0"), 0.8),
        new ScoredChunk(leaf("y", null), 0.7), new ScoredChunk(leaf("d#2", "d#p0"), 0.6));
    List<ScoredChunk> merged = new AutoMerger(0.5, 2).merge(hits, id -> Optional.ofNullable(Map.of("d#p0", P).get(id)));
    assertThat(merged).extracting(ScoredChunk::id).containsExactly("x", "d#p0", "y");
    assertThat(merged.get(1).score()).isEqualTo(0.8);
  }

  @Test
  void keepsLeavesWhenTooFewOfTheParentAreRetrieved() {
    List<ScoredChunk> hits = List.of(new ScoredChunk(leaf("d#1", "d#p0"), 0.8), new ScoredChunk(leaf("x", null), 0.7));
    assertThat(new AutoMerger(0.5, 2).merge(hits, id -> Optional.of(P))).isEqualTo(hits);
    List<ScoredChunk> two = List.of(new ScoredChunk(leaf("d#1", "d#p0"), 0.8), new ScoredChunk(leaf("d#2", "d#p0"), 0.7));
    assertThat(new AutoMerger(0.75, 2).merge(two, id -> Optional.of(P))).isEqualTo(two); // 2 of 4 < 75%
  }
}
