package dev.groundwork.core.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Standard ranked-retrieval metrics over one query, as computed by trec_eval / BEIR:
 * graded nDCG@k with gains {@code rel} and log2 discount, Recall@k over relevant ids
 * ({@code rel > 0}), and MRR@k. Duplicate ids in the ranking count once, at their first rank.
 * An empty judgement set gives 0 for every metric.
 */
public final class RetrievalMetrics {
  private RetrievalMetrics() {}

  private static List<String> dedupe(List<String> ranked) {
    Set<String> seen = new HashSet<>();
    List<String> out = new ArrayList<>();
    for (String id : ranked) if (seen.add(id)) out.add(id);
    return out;
  }

  public static double ndcg(List<String> ranked, Map<String, Integer> qrels, int k) {
    List<String> r = dedupe(ranked);
    double dcg = 0;
    for (int i = 0; i < Math.min(k, r.size()); i++) {
      int rel = qrels.getOrDefault(r.get(i), 0);
      if (rel > 0) dcg += rel / log2(i + 2);
    }
    List<Integer> ideal = new ArrayList<>(qrels.values());
    ideal.sort((a, b) -> Integer.compare(b, a));
    double idcg = 0;
    for (int i = 0; i < Math.min(k, ideal.size()); i++) if (ideal.get(i) > 0) idcg += ideal.get(i) / log2(i + 2);
    return idcg == 0 ? 0 : dcg / idcg;
  }

  public static double recall(List<String> ranked, Map<String, Integer> qrels, int k) {
    long relevant = qrels.values().stream().filter(v -> v > 0).count();
    if (relevant == 0) return 0;
    List<String> r = dedupe(ranked);
    int hit = 0;
    for (int i = 0; i < Math.min(k, r.size()); i++) if (qrels.getOrDefault(r.get(i), 0) > 0) hit++;
    return (double) hit / relevant;
  }

  public static double mrr(List<String> ranked, Map<String, Integer> qrels, int k) {
    List<String> r = dedupe(ranked);
    for (int i = 0; i < Math.min(k, r.size()); i++) if (qrels.getOrDefault(r.get(i), 0) > 0) return 1.0 / (i + 1);
    return 0;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  /** The p-th percentile (0..100) by nearest rank of a non-empty sample; NaN when empty. */
  public static double percentile(List<Double> values, double p) {
    if (values.isEmpty()) return Double.NaN;
    List<Double> s = new ArrayList<>(values);
    s.sort(Double::compare);
    int rank = (int) Math.ceil(p / 100.0 * s.size());
    return s.get(Math.max(0, Math.min(s.size() - 1, rank - 1)));
  }
}
