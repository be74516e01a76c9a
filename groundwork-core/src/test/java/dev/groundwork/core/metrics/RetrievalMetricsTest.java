package dev.groundwork.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetrievalMetricsTest {
  @Test
  void ndcgMatchesHandComputation() {
    Map<String, Integer> q = Map.of("a", 1, "b", 1);
    // relevant at ranks 2 and 3: dcg = 1/log2(3) + 1/log2(4); idcg = 1 + 1/log2(3)
    double expected = (1 / log2(3) + 0.5) / (1 + 1 / log2(3));
    assertThat(RetrievalMetrics.ndcg(List.of("x", "a", "b"), q, 10)).isCloseTo(expected, within(1e-12));
    assertThat(RetrievalMetrics.ndcg(List.of("a", "b"), q, 10)).isCloseTo(1.0, within(1e-12));
    assertThat(RetrievalMetrics.ndcg(List.of("x", "y"), q, 10)).isZero();
    assertThat(RetrievalMetrics.ndcg(List.of("x", "a"), q, 1)).isZero();
  }

  @Test
  void recallAndMrr() {
    Map<String, Integer> q = Map.of("a", 1, "b", 2, "c", 0);
    assertThat(RetrievalMetrics.recall(List.of("c", "a", "x"), q, 10)).isEqualTo(0.5);
    assertThat(RetrievalMetrics.recall(List.of("a", "a", "b"), q, 2)).isEqualTo(1.0); // duplicates count once
    assertThat(RetrievalMetrics.mrr(List.of("c", "x", "b"), q, 10)).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(RetrievalMetrics.mrr(List.of("c", "x", "b"), q, 2)).isZero();
    assertThat(RetrievalMetrics.recall(List.of("a"), Map.of(), 10)).isZero();
  }

  @Test
  void percentileByNearestRank() {
    List<Double> v = List.of(5.0, 1.0, 3.0, 2.0, 4.0);
    assertThat(RetrievalMetrics.percentile(v, 50)).isEqualTo(3.0);
    assertThat(RetrievalMetrics.percentile(v, 95)).isEqualTo(5.0);
    assertThat(RetrievalMetrics.percentile(List.of(), 50)).isNaN();
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
