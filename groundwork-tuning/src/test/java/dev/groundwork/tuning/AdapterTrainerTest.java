package dev.groundwork.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdapterTrainerTest {
  static final int DIM = 16;

  /**
   * A corpus where queries are their relevant document seen through a fixed scrambling of the
   * dimensions, plus noise: the untrained similarity barely finds them, a linear map can undo it.
   */
  record World(AdapterTrainer.Corpus corpus, AdapterTrainer.Pairs train, AdapterTrainer.Pairs dev) {}

  static World world(long seed) {
    Random r = new Random(seed);
    int docs = 300;
    List<float[]> chunks = new ArrayList<>();
    List<Integer> owner = new ArrayList<>();
    float[][] docVec = new float[docs][];
    for (int d = 0; d < docs; d++) {
      docVec[d] = unit(gaussian(r));
      // two chunks per document: the document itself and a noisier view of it
      chunks.add(docVec[d]);
      owner.add(d);
      float[] noisy = docVec[d].clone();
      float[] n = gaussian(r);
      for (int i = 0; i < DIM; i++) noisy[i] += 0.8f * n[i];
      chunks.add(unit(noisy));
      owner.add(d);
    }
    // a fixed mix of the dimensions: the query for document d is M d + noise
    float[] mix = new float[DIM * DIM];
    for (int i = 0; i < DIM; i++) {
      mix[i * DIM + (i + 5) % DIM] = 1f;
      mix[i * DIM + i] = 0.2f;
    }
    AdapterTrainer.Pairs train = pairs(r, docVec, mix, 0, 200), dev = pairs(r, docVec, mix, 200, 300);
    int[] chunkDoc = owner.stream().mapToInt(Integer::intValue).toArray();
    return new World(new AdapterTrainer.Corpus(DIM, chunks.toArray(new float[0][]), chunkDoc, docs), train, dev);
  }

  static AdapterTrainer.Pairs pairs(Random r, float[][] docVec, float[] mix, int from, int to) {
    float[][] q = new float[to - from][];
    int[][] rel = new int[to - from][];
    for (int d = from; d < to; d++) {
      float[] v = QueryAdapter.multiply(mix, DIM, docVec[d]);
      float[] n = gaussian(r);
      for (int i = 0; i < DIM; i++) v[i] += 0.15f * n[i];
      q[d - from] = unit(v);
      rel[d - from] = new int[] {d};
    }
    return new AdapterTrainer.Pairs(q, rel);
  }

  static float[] gaussian(Random r) {
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) v[i] = (float) r.nextGaussian();
    return v;
  }

  static float[] unit(float[] v) {
    return dev.groundwork.core.learn.Vectors.normalize(v);
  }

  @Test
  void learnsTheMapThatTheUntrainedSimilarityMisses() {
    World w = world(1);
    List<AdapterTrainer.Epoch> seen = new ArrayList<>();
    AdapterTrainer.Settings s = AdapterTrainer.Settings.defaults().withLearningRate(0.02).withEpochs(60, 5);
    AdapterTrainer.Result r = AdapterTrainer.train(w.corpus(), w.train(), w.dev(), s, 2, seen::add);
    assertThat(r.wholeCorpus()).isTrue();
    assertThat(r.startDevNdcg10()).isLessThan(0.3);
    assertThat(r.bestDevNdcg10()).isGreaterThan(0.9);
    // the adapter returned is the best epoch's, measured again from scratch
    assertThat(AdapterTrainer.ndcg10(r.adapter(), w.corpus(), w.dev())).isCloseTo(r.bestDevNdcg10(), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(seen).isNotEmpty();
    assertThat(seen.get(seen.size() - 1).loss()).isLessThan(seen.get(0).loss());
    assertThat(r.epochs().stream().mapToDouble(AdapterTrainer.Epoch::devNdcg10).max().orElseThrow()).isEqualTo(r.bestDevNdcg10());
    // documents the dev queries never saw in training are found too: the map generalises
    assertThat(AdapterTrainer.ndcg10(QueryAdapter.identity(DIM), w.corpus(), w.dev())).isEqualTo(r.startDevNdcg10());
  }

  @Test
  void withMinedNegativesOnALargerCorpusItLearnsToo() {
    World w = world(2);
    AdapterTrainer.Settings s = AdapterTrainer.Settings.defaults().withLearningRate(0.02).withEpochs(60, 5).withWholeCorpusLimit(100, 40);
    AdapterTrainer.Result r = AdapterTrainer.train(w.corpus(), w.train(), w.dev(), s, 1, e -> {});
    assertThat(r.wholeCorpus()).isFalse();
    assertThat(r.bestDevNdcg10()).isGreaterThan(r.startDevNdcg10() + 0.4);
  }

  @Test
  void stopsEarlyWhenDevStopsImproving() {
    World w = world(3);
    // a learning rate far too large makes dev worse at once: training stops after `patience` epochs and keeps the identity
    AdapterTrainer.Settings s = AdapterTrainer.Settings.defaults().withLearningRate(5).withEpochs(50, 2);
    AdapterTrainer.Result r = AdapterTrainer.train(w.corpus(), w.train(), w.dev(), s, 1, e -> {});
    if (r.bestEpoch() == 0) {
      assertThat(r.epochs()).hasSize(2);
      assertThat(r.adapter().distanceFromIdentity()).isZero();
    } else {
      assertThat(r.epochs().size()).isLessThan(50);
    }
  }

  @Test
  void sameSeedSameAdapter() {
    World w = world(4);
    AdapterTrainer.Settings s = AdapterTrainer.Settings.defaults().withLearningRate(0.02).withEpochs(3, 3);
    float[] a = AdapterTrainer.train(w.corpus(), w.train(), w.dev(), s, 2, e -> {}).adapter().weights();
    float[] b = AdapterTrainer.train(w.corpus(), w.train(), w.dev(), s, 2, e -> {}).adapter().weights();
    assertThat(a).containsExactly(b);
  }

  @Test
  void refusesPairsOutsideTheCorpus() {
    World w = world(5);
    AdapterTrainer.Pairs bad = new AdapterTrainer.Pairs(new float[][] {w.train().queries()[0]}, new int[][] {{999}});
    assertThatThrownBy(() -> AdapterTrainer.train(w.corpus(), bad, w.dev(), AdapterTrainer.Settings.defaults(), 1, e -> {}))
        .hasMessageContaining("document 999");
    assertThatThrownBy(() -> new AdapterTrainer.Pairs(new float[][] {w.train().queries()[0]}, new int[][] {{}})).hasMessageContaining("no relevant");
  }
}
