package dev.groundwork.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.learn.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdapterScopeTest {
  /**
   * Four documents on the axes. The project's questions lie near e0 and e1 and are about e2 and e3
   * (the adapter, a swap of the two halves, finds them); other questions lie near e2 and e3 and are
   * about those very documents (the adapter sends them away).
   */
  static final QueryAdapter SWAP = new QueryAdapter(4, new float[] {0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0});

  static final AdapterTrainer.Corpus CORPUS = new AdapterTrainer.Corpus(4, new float[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}},
      new int[] {0, 1, 2, 3}, 4);

  static float[] near(Random r, int axis) {
    float[] v = new float[4];
    for (int i = 0; i < 4; i++) v[i] = (float) (0.1 * r.nextGaussian());
    v[axis] += 1;
    return Vectors.normalize(v);
  }

  /** {@code project} questions like the training ones (near e0/e1, about e2/e3), then {@code other} unlike them (near e2/e3, about themselves). */
  static AdapterTrainer.Pairs questions(Random r, int project, int other) {
    List<float[]> q = new ArrayList<>();
    List<int[]> rel = new ArrayList<>();
    for (int i = 0; i < project; i++) {
      q.add(near(r, i % 2));
      rel.add(new int[] {2 + i % 2});
    }
    for (int i = 0; i < other; i++) {
      q.add(near(r, 2 + i % 2));
      rel.add(new int[] {2 + i % 2});
    }
    return new AdapterTrainer.Pairs(q.toArray(new float[0][]), rel.toArray(new int[0][]));
  }

  @Test
  void theScopeKeepsTheAdapterOffQuestionsUnlikeItsTrainingOnes() {
    Random r = new Random(3);
    float[][] train = questions(r, 40, 0).queries();
    AdapterTrainer.Pairs dev = questions(r, 12, 8);
    AdapterScope.Choice c = AdapterScope.choose(SWAP, train, CORPUS, dev, 1);
    assertThat(c.candidates()).hasSize(AdapterScope.QUANTILES.length);
    // applied everywhere it helps 12 questions and spoils 8; without it the reverse; scoped, it does only good
    assertThat(c.devNdcg10Everywhere()).isLessThan(0.9);
    assertThat(c.devNdcg10None()).isLessThan(0.9);
    assertThat(c.chosen().devNdcg10()).isEqualTo(1.0);
    assertThat(c.chosen().coverage()).isEqualTo(12 / 20.0);
    assertThat(c.adapter().anchorCount()).isEqualTo(40);
    // on fresh questions: those like the training ones are moved, the others left as they are
    Random fresh = new Random(99);
    int moved = 0;
    for (int i = 0; i < 100; i++) {
      float[] like = near(fresh, i % 2), unlike = near(fresh, 2 + i % 2);
      if (java.util.Arrays.equals(c.adapter().apply(like), SWAP.apply(like))) moved++;
      assertThat(c.adapter().apply(unlike)).containsExactly(Vectors.normalize(unlike.clone()));
    }
    // the threshold is the least alike of the dev questions it moved, so a fresh one now and then falls short
    assertThat(moved).isGreaterThan(85);
  }

  @Test
  void anAdapterThatHelpsEveryDevQuestionStillLeavesTheLeastAlikeOut() {
    Random r = new Random(5);
    AdapterTrainer.Pairs dev = questions(r, 40, 0);
    AdapterScope.Choice c = AdapterScope.choose(SWAP, questions(r, 40, 0).queries(), CORPUS, dev, 1);
    // the lowest candidate wins, and it still leaves out the 5% of dev least like the training questions
    assertThat(c.chosen().quantile()).isEqualTo(AdapterScope.QUANTILES[0]);
    assertThat(c.chosen().coverage()).isEqualTo(38 / 40.0);
    // a question about another subject altogether is never moved
    assertThat(c.adapter().inScope(new float[] {0, 0, 0.6f, 0.8f})).isFalse();
  }
}
