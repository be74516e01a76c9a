package dev.groundwork.core.retrieve;

import dev.groundwork.core.Chunk;
import dev.groundwork.core.ScoredChunk;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Convex combination of normalized scores: each list's scores are mapped to about [0, 1] and
 * {@code score(d) = sum_i w_i * norm_i(d)}; a list that does not contain d adds 0.
 *
 * <p>Two normalizations: {@link Norm#MIN_MAX} maps the list's lowest score to 0 and highest to 1;
 * {@link Norm#Z_SCORE} ("distribution-based") standardizes by the list's mean and standard deviation
 * and then maps {@code mean - 3 sd .. mean + 3 sd} to [0, 1] (values outside stay outside, so the
 * order at the top of a long-tailed list is kept), which is steadier than min-max when one list has
 * a single outlier. A list whose scores are all equal maps to 1 for every hit.
 * Thread-safe.
 */
public final class NormalizedScoreFusion implements Fusion {
  public enum Norm { MIN_MAX, Z_SCORE }

  private final Norm norm;

  public NormalizedScoreFusion(Norm norm) {
    this.norm = norm;
  }

  @Override
  public String name() {
    return norm == Norm.MIN_MAX ? "minmax" : "zscore";
  }

  @Override
  public List<ScoredChunk> fuse(List<Ranking> rankings) {
    Map<String, Double> score = new LinkedHashMap<>();
    Map<String, Chunk> chunks = new LinkedHashMap<>();
    for (Ranking r : rankings) {
      double[] n = normalize(r.hits());
      for (int i = 0; i < n.length; i++) {
        ScoredChunk h = r.hits().get(i);
        chunks.putIfAbsent(h.id(), h.chunk());
        score.merge(h.id(), r.weight() * n[i], Double::sum);
      }
    }
    List<ScoredChunk> out = new ArrayList<>(score.size());
    score.forEach((id, s) -> out.add(new ScoredChunk(chunks.get(id), s)));
    out.sort(ScoredChunk.RANKING);
    return out;
  }

  double[] normalize(List<ScoredChunk> hits) {
    int n = hits.size();
    double[] out = new double[n];
    if (n == 0) return out;
    if (norm == Norm.MIN_MAX) {
      double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
      for (ScoredChunk h : hits) {
        min = Math.min(min, h.score());
        max = Math.max(max, h.score());
      }
      for (int i = 0; i < n; i++) out[i] = max > min ? (hits.get(i).score() - min) / (max - min) : 1.0;
      return out;
    }
    double mean = 0;
    for (ScoredChunk h : hits) mean += h.score();
    mean /= n;
    double var = 0;
    for (ScoredChunk h : hits) var += (h.score() - mean) * (h.score() - mean);
    double sd = Math.sqrt(var / n);
    for (int i = 0; i < n; i++) {
      // not clipped: clipping at +3 sd would flatten the very top of a long-tailed list into ties
      out[i] = sd > 0 ? ((hits.get(i).score() - mean) / sd + 3) / 6 : 1.0;
    }
    return out;
  }
}
