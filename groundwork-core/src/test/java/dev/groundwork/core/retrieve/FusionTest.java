package dev.groundwork.core.retrieve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.groundwork.core.Chunk;
import dev.groundwork.core.ScoredChunk;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class FusionTest {
  static ScoredChunk hit(String id, double score) {
    return new ScoredChunk(new Chunk(id, "d", "d", "", null, List.of(), null, 0, 1, "x", null, 0), score);
  }

  @Test
  void rrfSumsReciprocalRanks() {
    List<ScoredChunk> bm25 = List.of(hit("a", 9), hit("b", 5), hit("c", 1));
    List<ScoredChunk> dense = List.of(hit("b", 0.9), hit("d", 0.8));
    List<ScoredChunk> fused = new ReciprocalRankFusion(60).fuse(List.of(new Ranking("bm25", bm25, 1), new Ranking("dense", dense, 1)));
    assertThat(fused).extracting(ScoredChunk::id).containsExactly("b", "a", "d", "c");
    assertThat(fused.get(0).score()).isCloseTo(1 / 62.0 + 1 / 61.0, within(1e-12));
    assertThat(fused.get(1).score()).isCloseTo(1 / 61.0, within(1e-12));
  }

  @Test
  void weightsScaleEachList() {
    List<ScoredChunk> bm25 = List.of(hit("a", 9));
    List<ScoredChunk> dense = List.of(hit("b", 0.9));
    List<ScoredChunk> fused = new ReciprocalRankFusion(60).fuse(List.of(new Ranking("bm25", bm25, 1), new Ranking("dense", dense, 2)));
    assertThat(fused).extracting(ScoredChunk::id).containsExactly("b", "a");
  }

  @Test
  void minMaxNormalisesEachListToUnitRange() {
    List<ScoredChunk> bm25 = List.of(hit("a", 10), hit("b", 6), hit("c", 2));
    List<ScoredChunk> dense = List.of(hit("c", 0.9), hit("b", 0.5));
    List<ScoredChunk> fused = new NormalizedScoreFusion(NormalizedScoreFusion.Norm.MIN_MAX)
        .fuse(List.of(new Ranking("bm25", bm25, 1), new Ranking("dense", dense, 1)));
    // a: 1 + 0; b: 0.5 + 0; c: 0 + 1
    assertThat(fused).extracting(ScoredChunk::id).containsExactly("a", "c", "b");
    assertThat(fused.get(0).score()).isCloseTo(1.0, within(1e-12));
    assertThat(fused.get(2).score()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void zScoreStandardisesEachListAndMapsThreeDeviationsToTheUnitRange() {
    // bm25: mean 6, sd sqrt(32/3), so z = +-sqrt(1.5) and 0; dense (weight 2): mean 0.5, sd sqrt(0.32/3), the same z
    List<ScoredChunk> bm25 = List.of(hit("a", 10), hit("b", 6), hit("c", 2));
    List<ScoredChunk> dense = List.of(hit("c", 0.9), hit("b", 0.5), hit("d", 0.1));
    List<ScoredChunk> fused = new NormalizedScoreFusion(NormalizedScoreFusion.Norm.Z_SCORE)
        .fuse(List.of(new Ranking("bm25", bm25, 1), new Ranking("dense", dense, 2)));
    double hi = (3 + Math.sqrt(1.5)) / 6; // 0.70412
    double lo = (3 - Math.sqrt(1.5)) / 6; // 0.29588
    assertThat(fused).extracting(ScoredChunk::id).containsExactly("c", "b", "a", "d");
    assertThat(fused.get(0).score()).isCloseTo(lo + 2 * hi, within(1e-12)); // 1.70412
    assertThat(fused.get(1).score()).isCloseTo(0.5 + 2 * 0.5, within(1e-12));
    assertThat(fused.get(2).score()).isCloseTo(hi, within(1e-12));
    assertThat(fused.get(3).score()).isCloseTo(2 * lo, within(1e-12)); // 0.59175
  }

  @Test
  void tiesBreakByIdAndEqualScoresNormaliseToOne() {
    List<ScoredChunk> a = List.of(hit("z", 3), hit("y", 3));
    List<ScoredChunk> fused = new NormalizedScoreFusion(NormalizedScoreFusion.Norm.Z_SCORE).fuse(List.of(new Ranking("a", a, 1)));
    assertThat(fused).extracting(ScoredChunk::id).containsExactly("y", "z");
    assertThat(fused).extracting(ScoredChunk::score).containsOnly(1.0);
  }

  @RepeatedTest(value = 30, name = "seeded property {currentRepetition}")
  void fusedListIsTheSortedUnionWithoutDuplicates(RepetitionInfo info) {
    Random rnd = new Random(42L + info.getCurrentRepetition());
    List<Ranking> rankings = new ArrayList<>();
    Set<String> union = new HashSet<>();
    for (int r = 0; r < 1 + rnd.nextInt(3); r++) {
      List<ScoredChunk> hits = new ArrayList<>();
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < rnd.nextInt(30); i++) {
        String id = "c" + rnd.nextInt(40);
        if (ids.add(id)) hits.add(hit(id, Math.round(rnd.nextGaussian() * 4) / 2.0));
      }
      hits.sort(ScoredChunk.RANKING);
      union.addAll(ids);
      rankings.add(new Ranking("r" + r, hits, rnd.nextDouble() * 2));
    }
    for (Fusion f : List.of(new ReciprocalRankFusion(60), new NormalizedScoreFusion(NormalizedScoreFusion.Norm.MIN_MAX),
        new NormalizedScoreFusion(NormalizedScoreFusion.Norm.Z_SCORE))) {
      List<ScoredChunk> fused = f.fuse(rankings);
      assertThat(fused).extracting(ScoredChunk::id).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(union);
      assertThat(fused).isSortedAccordingTo(ScoredChunk.RANKING);
      assertThat(f.fuse(rankings)).isEqualTo(fused);
    }
  }
}
