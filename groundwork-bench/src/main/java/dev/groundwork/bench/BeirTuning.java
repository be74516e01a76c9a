package dev.groundwork.bench;

import dev.groundwork.core.retrieve.Fusion;
import dev.groundwork.tuning.PairedTest;
import dev.groundwork.core.retrieve.HybridRetriever;
import dev.groundwork.core.retrieve.RetrievalOptions;
import dev.groundwork.core.retrieve.SearchMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * The honest way to pick retrieval settings: on a dev split carved from the train queries with a
 * fixed seed, never on the test queries. One pass of coordinate ascent from the configured settings,
 * in a fixed order: fusion method, then the BM25 : dense weights, then the late-interaction weight,
 * then its IDF weighting, then the candidates per ranking. A step moves away from the value held (the
 * configured one first) only when the new value's dev hybrid nDCG@10 is higher and a one-sided paired
 * sign-flip test across the dev queries puts that rise below p = {@value #ALPHA}: one pass over 160
 * queries otherwise adopts noise. Stateless.
 */
public final class BeirTuning {
  /** The p-value a step's rise over the value held must be below for the step to move. */
  public static final double ALPHA = 0.05;

  /**
   * Settings one step tries, by name, with its dev nDCG@10 and the paired p-value of its rise over the
   * value held then (NaN for the start and for values that did not rise).
   */
  public record Step(String setting, String value, double devNdcg10, double pValue) {}

  /**
   * @param devQueries the dev split's size, carved from {@code trainQueries} with {@code seed}
   * @param trace every setting tried, with its dev nDCG@10, in order
   */
  public record Outcome(RetrievalOptions chosen, Map<String, Object> choices, double devNdcg10, int devQueries, int trainQueries, long seed,
      List<Step> trace) {}

  private BeirTuning() {}

  /** {@code size} query ids drawn from {@code train} with {@code seed}, in a fixed order (sorted first, so the draw does not depend on file order). */
  public static List<String> devSplit(List<String> train, int size, long seed) {
    if (size < 10 || size > train.size()) throw new IllegalArgumentException("the dev split must hold 10.." + train.size() + " queries, got " + size);
    List<String> ids = new ArrayList<>(train);
    Collections.sort(ids);
    Collections.shuffle(ids, new Random(seed));
    return List.copyOf(ids.subList(0, size));
  }

  /**
   * @param retrievers a retriever for given options (over the index already built)
   * @param fusions the fusion of each name: zscore, minmax, rrf
   * @param dev the dev split's queries and qrels
   */
  public static Outcome tune(BeirBenchmark bench, Function<RetrievalOptions, HybridRetriever> retrievers, RetrievalOptions start,
      Map<String, Fusion> fusions, BeirBenchmark.Judged dev, int trainQueries, long seed, java.util.function.Consumer<Step> progress) {
    Ascent a = new Ascent(o -> bench.ndcgPerQuery(retrievers.apply(o.withMode(SearchMode.HYBRID)), SearchMode.HYBRID, dev), progress);
    a.start(start.withMode(SearchMode.HYBRID), describe(start, fusions));
    for (var f : fusions.entrySet()) a.consider("fusion", f.getKey(), a.best.withFusion(f.getValue()));
    for (double[] w : new double[][] {{1.0, 1.0}, {0.5, 1.0}, {0.75, 1.0}, {1.0, 0.75}, {1.0, 0.5}}) {
      a.consider("bm25:dense weights", w[0] + ":" + w[1], a.best.withWeights(w[0], w[1]));
    }
    for (double w : new double[] {0.0, 0.5, 1.0, 1.5, 2.0}) a.consider("late_weight", String.valueOf(w), a.best.withLateWeight(w));
    if (a.best.lateWeight() > 0) a.consider("late_idf", String.valueOf(!a.best.lateIdf()), a.best.withLateIdf(!a.best.lateIdf()));
    // candidates per ranking: at least 200, so that Recall@100 counts 100 documents
    for (int c : new int[] {200, 300}) a.consider("candidates", String.valueOf(c), a.best.withCandidates(c));
    RetrievalOptions best = a.best;
    Map<String, Object> choices = new LinkedHashMap<>();
    choices.put("fusion", nameOf(best.fusion(), fusions));
    choices.put("bm25_weight", best.bm25Weight());
    choices.put("dense_weight", best.denseWeight());
    choices.put("late_weight", best.lateWeight());
    choices.put("late_idf", best.lateIdf());
    choices.put("candidates", best.candidates());
    return new Outcome(best, choices, PairedTest.mean(a.bestScores), dev.qids().size(), trainQueries, seed, a.trace);
  }

  /** The paired p-value of {@code candidate}'s rise over {@code held}, per query; NaN when it does not rise (it never moves then). */
  static double risePValue(double[] candidate, double[] held) {
    return PairedTest.mean(candidate) > PairedTest.mean(held) ? PairedTest.pValue(candidate, held, 2000, 17) : Double.NaN;
  }

  /** One pass of coordinate ascent: an option considered replaces the one held only when it rises significantly on dev. */
  private static final class Ascent {
    final Function<RetrievalOptions, double[]> score;
    final java.util.function.Consumer<Step> progress;
    final List<Step> trace = new ArrayList<>();
    RetrievalOptions best;
    double[] bestScores;

    Ascent(Function<RetrievalOptions, double[]> score, java.util.function.Consumer<Step> progress) {
      this.score = score;
      this.progress = progress;
    }

    void start(RetrievalOptions o, String description) {
      best = o;
      bestScores = score.apply(o);
      record(new Step("start", description, PairedTest.mean(bestScores), Double.NaN));
    }

    /** Scores {@code o} unless it is the option held; it replaces that one only when higher with paired p below {@link #ALPHA}. */
    void consider(String setting, String value, RetrievalOptions o) {
      // fusions compare by name: the configured one is another instance of the same method
      if (o.withFusion(best.fusion()).equals(best) && o.fusion().name().equals(best.fusion().name())) return;
      double[] s = score.apply(o);
      double p = risePValue(s, bestScores);
      record(new Step(setting, value, PairedTest.mean(s), p));
      if (p < ALPHA) {
        best = o;
        bestScores = s;
      }
    }

    private void record(Step st) {
      trace.add(st);
      progress.accept(st);
    }
  }

  private static String nameOf(Fusion f, Map<String, Fusion> fusions) {
    for (var e : fusions.entrySet()) if (e.getValue().name().equals(f.name())) return e.getKey();
    return f.name();
  }

  private static String describe(RetrievalOptions o, Map<String, Fusion> fusions) {
    return nameOf(o.fusion(), fusions) + ", weights " + o.bm25Weight() + ":" + o.denseWeight() + ", late " + o.lateWeight() + (o.lateIdf() ? " IDF" : "")
        + ", candidates " + o.candidates();
  }
}
