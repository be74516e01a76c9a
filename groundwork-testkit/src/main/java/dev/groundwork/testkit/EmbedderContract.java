package dev.groundwork.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.groundwork.core.spi.Embedder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Embedder} must show: vectors of its dimension, unit length, one per
 * text in order, the same text giving the same vector, and related texts closer than unrelated ones.
 * An implementation's test extends this and says how to build the embedder.
 */
public abstract class EmbedderContract {
  protected Embedder embedder;

  protected abstract Embedder newEmbedder();

  /** Whether the embedder's vectors carry meaning (a real model), so that similarity can be checked. */
  protected boolean semantic() {
    return true;
  }

  @BeforeEach
  void build() {
    embedder = newEmbedder();
  }

  @AfterEach
  void close() {
    embedder.close();
  }

  static double dot(float[] a, float[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) d += a[i] * b[i];
    return d;
  }

  @Test
  void oneUnitVectorOfTheDimensionPerTextInOrder() {
    List<String> texts = List.of("Dead jobs are kept for thirty days.", "The visibility timeout is 30 seconds.", "Queues can be paused.");
    List<float[]> vs = embedder.embedDocuments(texts);
    assertThat(vs).hasSize(3);
    for (float[] v : vs) {
      assertThat(v).hasSize(embedder.dimension());
      assertThat(dot(v, v)).isCloseTo(1.0, within(1e-3));
    }
    // order: embedding one text alone gives (nearly: a quantized model pads batches) the vector it got in the batch
    assertThat(dot(embedder.embedDocuments(List.of(texts.get(1))).get(0), vs.get(1))).isCloseTo(1.0, within(1e-2));
    assertThat(dot(vs.get(0), vs.get(1))).as("different texts, different vectors").isLessThan(0.98);
  }

  @Test
  void anEmptyBatchGivesNoVectors() {
    assertThat(embedder.embedDocuments(List.of())).isEmpty();
  }

  @Test
  void theSameTextGivesTheSameVector() {
    float[] a = embedder.embedQuery("how long are dead jobs kept");
    float[] b = embedder.embedQuery("how long are dead jobs kept");
    assertThat(a).hasSize(embedder.dimension());
    assertThat(dot(a, b)).isCloseTo(1.0, within(1e-4));
  }

  @Test
  void aQueryIsCloserToTheTextThatAnswersIt() {
    if (!semantic()) return;
    float[] q = embedder.embedQuery("How long are dead jobs kept?");
    List<float[]> docs = embedder.embedDocuments(List.of("Dead jobs are kept for thirty days.", "The office cafeteria serves lunch at noon."));
    assertThat(dot(q, docs.get(0))).isGreaterThan(dot(q, docs.get(1)));
  }

  @Test
  void tokensAreCountedAndGrowWithTheText() {
    int shortCount = embedder.countTokens("dead jobs");
    int longCount = embedder.countTokens("dead jobs are kept for thirty days by default, then deleted");
    assertThat(shortCount).isPositive();
    assertThat(longCount).isGreaterThan(shortCount);
  }
}
