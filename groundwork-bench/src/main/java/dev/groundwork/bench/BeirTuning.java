package dev.groundwork.bench;

import dev.groundwork.core.retrieve.Fusion;
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
 * then its IDF weighting, then the candidates per ranking; each step keeps the value with the best
 * dev hybrid nDCG@10, and a tie keeps the value already held (the configured one first). Stateless.
 */
public final class BeirTuning {
  /** Settings one step tries, by name. */
  public record Step(String setting, String value, double devNdcg10) {}

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
    List<Step> trace = new ArrayList<>();
    Function<RetrievalOptions, Double> score = o -> bench.evaluate(retrievers.apply(o.withMode(SearchMode.HYBRID)), SearchMode.HYBRID, dev).ndcg10();
    RetrievalOptions best = start.withMode(SearchMode.HYBRID);
    double bestScore = score.apply(best);
    trace.add(new Step("start", describe(best, fusions), bestScore));
    progress.accept(trace.get(0));
    Map<String, Object> choices = new LinkedHashMap<>();

    // fusion method
    String bestFusion = nameOf(best.fusion(), fusions);
    for (var f : fusions.entrySet()) {
      if (f.getKey().equals(bestFusion)) continue;
      RetrievalOptions o = best.withFusion(f.getValue());
      double s = step(trace, progress, "fusion", f.getKey(), score.apply(o));
      if (s > bestScore) {
        best = o;
        bestScore = s;
        bestFusion = f.getKey();
      }
    }
    choices.put("fusion", bestFusion);
    // the weight of each ranking in the fusion
    double[][] weights = {{1.0, 1.0}, {0.5, 1.0}, {0.75, 1.0}, {1.0, 0.75}, {1.0, 0.5}};
    for (double[] w : weights) {
      if (w[0] == best.bm25Weight() && w[1] == best.denseWeight()) continue;
      RetrievalOptions o = best.withWeights(w[0], w[1]);
      double s = step(trace, progress, "bm25:dense weights", w[0] + ":" + w[1], score.apply(o));
      if (s > bestScore) {
        best = o;
        bestScore = s;
      }
    }
    choices.put("bm25_weight", best.bm25Weight());
    choices.put("dense_weight", best.denseWeight());
    // late interaction: its weight (0 = off), then its IDF weighting
    for (double w : new double[] {0.0, 0.5, 1.0, 1.5, 2.0}) {
      if (w == best.lateWeight()) continue;
      RetrievalOptions o = best.withLateWeight(w);
      double s = step(trace, progress, "late_weight", String.valueOf(w), score.apply(o));
      if (s > bestScore) {
        best = o;
        bestScore = s;
      }
    }
    choices.put("late_weight", best.lateWeight());
    if (best.lateWeight() > 0) {
      RetrievalOptions o = best.withLateIdf(!best.lateIdf());
      double s = step(trace, progress, "late_idf", String.valueOf(!best.lateIdf()), score.apply(o));
      if (s > bestScore) {
        best = o;
        bestScore = s;
      }
    }
    choices.put("late_idf", best.lateIdf());
    // candidates per ranking (at least 200, so that Recall@100 counts 100 documents)
    for (int c : new int[] {200, 300}) {
      if (c == best.candidates()) continue;
      RetrievalOptions o = best.withCandidates(c);
      double s = step(trace, progress, "candidates", String.valueOf(c), score.apply(o));
      if (s > bestScore) {
        best = o;
        bestScore = s;
      }
    }
    choices.put("candidates", best.candidates());
    return new Outcome(best, choices, bestScore, dev.qids().size(), trainQueries, seed, trace);
  }

  private static double step(List<Step> trace, java.util.function.Consumer<Step> progress, String setting, String value, double s) {
    Step st = new Step(setting, value, s);
    trace.add(st);
    progress.accept(st);
    return s;
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
