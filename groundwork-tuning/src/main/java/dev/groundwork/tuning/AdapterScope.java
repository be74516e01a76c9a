package dev.groundwork.tuning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Chooses the scope of a trained {@link QueryAdapter}: which questions it moves. An adapter learns
 * from the project's questions; on a question unlike any of them (another subject, another kind of
 * document) it has nothing to offer and can only do harm. So a question is moved only when its
 * cosine similarity to the nearest training question (its unadapted vector) reaches a threshold.
 *
 * <p>The threshold is the similarity of one of the dev questions at a fixed set of quantiles
 * ({@link #QUANTILES}): the one whose scoped adapter scores the highest dev nDCG@10 (a tie goes to
 * the higher threshold, the more cautious). The lowest candidate leaves 5% of the dev questions out
 * (at least one): a stated convention, so that even an adapter that helps every dev question is
 * never applied to a question less like the training ones than the least-like 5% of questions like
 * them. Nothing but the training questions (anchors) and the dev questions takes part.
 */
public final class AdapterScope {
  /** The quantiles of the dev questions' similarities tried as thresholds. */
  public static final double[] QUANTILES = {0.05, 0.10, 0.20, 0.30, 0.40, 0.50};

  private AdapterScope() {}

  /** One candidate threshold and what it did on dev. */
  public record Candidate(double quantile, double threshold, double coverage, double devNdcg10) {}

  /**
   * @param adapter the adapter with the chosen scope
   * @param devNdcg10Everywhere dev nDCG@10 with the adapter applied to every question
   * @param devNdcg10None dev nDCG@10 without the adapter
   */
  public record Choice(QueryAdapter adapter, Candidate chosen, List<Candidate> candidates, double devNdcg10Everywhere, double devNdcg10None) {
    /** The training questions the scope is anchored on. */
    public int anchors() {
      return adapter.anchorCount();
    }
  }

  /**
   * @param trained the trained adapter (its scope, if any, is replaced)
   * @param trainQueries the unadapted vectors of the questions it was trained on; at most
   *     {@link QueryAdapter#MAX_ANCHORS} of them (a seeded draw) become anchors
   * @param dev the questions that choose the threshold; at least one
   */
  public static Choice choose(QueryAdapter trained, float[][] trainQueries, AdapterTrainer.Corpus corpus, AdapterTrainer.Pairs dev, long seed) {
    if (dev.size() == 0) throw new IllegalArgumentException("a scope is chosen on dev questions; there are none");
    QueryAdapter everywhere = trained.unscoped();
    float[][] anchors = anchors(trainQueries, seed);
    QueryAdapter probe = everywhere.scoped(anchors, -1);
    double[] with = AdapterTrainer.perQueryNdcg10(everywhere, corpus, dev);
    double[] without = AdapterTrainer.perQueryNdcg10(QueryAdapter.identity(everywhere.dimension()), corpus, dev);
    double[] sim = new double[dev.size()];
    for (int i = 0; i < sim.length; i++) sim[i] = probe.similarity(dev.queries()[i]);
    double[] sorted = sim.clone();
    Arrays.sort(sorted);
    List<Candidate> candidates = new ArrayList<>();
    Candidate best = null;
    for (double qt : QUANTILES) {
      // the similarity of the question that leaves the share qt of dev below it (at least one, where there are two or more)
      double t = sorted[Math.min(sorted.length - 1, Math.max(1, (int) Math.ceil(qt * sorted.length)))];
      double sum = 0;
      int in = 0;
      for (int i = 0; i < sim.length; i++) {
        boolean moved = sim[i] >= t;
        if (moved) in++;
        sum += moved ? with[i] : without[i];
      }
      Candidate c = new Candidate(qt, t, (double) in / sim.length, sum / sim.length);
      candidates.add(c);
      if (best == null || c.devNdcg10() >= best.devNdcg10()) best = c; // ties: the later, higher threshold
    }
    return new Choice(everywhere.scoped(anchors, best.threshold()), best, candidates, mean(with), mean(without));
  }

  private static float[][] anchors(float[][] trainQueries, long seed) {
    if (trainQueries.length == 0) throw new IllegalArgumentException("a scope needs the training questions; there are none");
    if (trainQueries.length <= QueryAdapter.MAX_ANCHORS) return trainQueries;
    List<float[]> all = new ArrayList<>(Arrays.asList(trainQueries));
    java.util.Collections.shuffle(all, new Random(seed));
    return all.subList(0, QueryAdapter.MAX_ANCHORS).toArray(new float[0][]);
  }

  private static double mean(double[] xs) {
    double s = 0;
    for (double x : xs) s += x;
    return xs.length == 0 ? 0 : s / xs.length;
  }
}
