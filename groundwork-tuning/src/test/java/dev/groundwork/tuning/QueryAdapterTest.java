package dev.groundwork.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.spi.Embedder;
import dev.groundwork.core.spi.Embedding;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryAdapterTest {
  @Test
  void appliesTheMapAndNormalises() {
    // swap the two dimensions and double the first
    QueryAdapter a = new QueryAdapter(2, new float[] {0, 2, 1, 0});
    float[] out = a.apply(new float[] {0.6f, 0.8f});
    // W q = (1.6, 0.6), normalised
    double n = Math.hypot(1.6, 0.6);
    assertThat(out[0]).isCloseTo((float) (1.6 / n), org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(out[1]).isCloseTo((float) (0.6 / n), org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(QueryAdapter.identity(2).apply(new float[] {0.6f, 0.8f})).containsExactly(0.6f, 0.8f);
    assertThatThrownBy(() -> a.apply(new float[3])).hasMessageContaining("trained for 2");
  }

  @Test
  void bytesRoundTripAndCorruptFilesAreRefused() {
    QueryAdapter a = new QueryAdapter(3, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9.5f});
    byte[] b = a.toBytes();
    assertThat(QueryAdapter.fromBytes(b).weights()).containsExactly(a.weights());
    assertThatThrownBy(() -> QueryAdapter.fromBytes(java.util.Arrays.copyOf(b, b.length - 1))).hasMessageContaining("corrupt");
    assertThatThrownBy(() -> QueryAdapter.fromBytes("hello".getBytes())).hasMessageContaining("not a query adapter");
    byte[] nan = b.clone();
    java.nio.ByteBuffer.wrap(nan).putFloat(12, Float.NaN);
    assertThatThrownBy(() -> QueryAdapter.fromBytes(nan)).hasMessageContaining("weight 0");
  }

  @Test
  void aScopedAdapterMovesOnlyQueriesLikeItsTrainingQuestions() {
    QueryAdapter swap = new QueryAdapter(2, new float[] {0, 1, 1, 0});
    // trained on questions near (1, 0); moves what is at least 0.9 alike
    QueryAdapter scoped = swap.scoped(new float[][] {{2f, 0f}}, 0.9);
    assertThat(scoped.isScoped()).isTrue();
    assertThat(scoped.anchorCount()).isEqualTo(1);
    float[] near = {0.99f, 0.141f}, far = {0.6f, 0.8f};
    assertThat(scoped.similarity(near)).isGreaterThan(0.9);
    assertThat(scoped.inScope(far)).isFalse();
    assertThat(scoped.apply(near)).containsExactly(swap.apply(near));
    assertThat(scoped.apply(far)).containsExactly(0.6f, 0.8f);
    assertThat(swap.inScope(far)).isTrue(); // unscoped: every query
    assertThat(scoped.unscoped().apply(far)).containsExactly(0.8f, 0.6f);

    // stored and read back with its scope; a file without one still reads as before
    QueryAdapter back = QueryAdapter.fromBytes(scoped.toBytes());
    assertThat(back.threshold()).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(back.apply(far)).containsExactly(0.6f, 0.8f);
    assertThat(back.apply(near)).containsExactly(swap.apply(near));
    assertThat(QueryAdapter.fromBytes(swap.toBytes()).isScoped()).isFalse();
    byte[] b = scoped.toBytes();
    assertThatThrownBy(() -> QueryAdapter.fromBytes(java.util.Arrays.copyOf(b, b.length - 4))).hasMessageContaining("anchors");
    byte[] badThreshold = b.clone();
    java.nio.ByteBuffer.wrap(badThreshold).putFloat(8 + 4 + 16 + 4, 3f);
    assertThatThrownBy(() -> QueryAdapter.fromBytes(badThreshold)).hasMessageContaining("threshold");
    assertThatThrownBy(() -> swap.scoped(new float[][] {{1f, 0f, 0f}}, 0.5)).hasMessageContaining("anchor 0");
  }

  @Test
  void fusionSettingsTunedWithAnAdapterApplyInsideItsScopeOnly() {
    Recording inner = new Recording(); // every query embeds as (0.6, 0.8)
    dev.groundwork.core.retrieve.RetrievalOptions configured = dev.groundwork.core.retrieve.RetrievalOptions.DEFAULT;
    AdaptedEmbedder.TunedRetrieval tuned = new AdaptedEmbedder.TunedRetrieval(0.5, 1.0, 0.0);
    QueryAdapter swap = new QueryAdapter(2, new float[] {0, 1, 1, 0});
    AdaptedEmbedder near = new AdaptedEmbedder(inner, swap.scoped(new float[][] {{0.6f, 0.8f}}, 0.9), "v1", tuned);
    dev.groundwork.core.retrieve.RetrievalOptions o = near.optionsFor("q", configured);
    assertThat(o.bm25Weight()).isEqualTo(0.5);
    assertThat(o.lateWeight()).isEqualTo(0.0);
    assertThat(o.fusion()).isSameAs(configured.fusion());
    // a question unlike the training ones keeps the configured settings
    AdaptedEmbedder far = new AdaptedEmbedder(inner, swap.scoped(new float[][] {{1f, 0f}}, 0.9), "v1", tuned);
    assertThat(far.optionsFor("q", configured)).isSameAs(configured);
    // an adapter without tuned settings never changes them
    assertThat(new AdaptedEmbedder(inner, swap, "v0").optionsFor("q", configured)).isSameAs(configured);
  }

  /** An embedder that records what it embeds, with a token signature on queries. */
  static final class Recording implements Embedder {
    final List<String> documents = new ArrayList<>();

    @Override
    public String name() {
      return "rec";
    }

    @Override
    public int dimension() {
      return 2;
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
      documents.addAll(texts);
      List<float[]> out = new ArrayList<>();
      for (String t : texts) out.add(new float[] {0.6f, 0.8f});
      return out;
    }

    @Override
    public float[] embedQuery(String query) {
      return new float[] {0.6f, 0.8f};
    }

    @Override
    public Embedding embedQueryWithTokens(String query) {
      return new Embedding(embedQuery(query), new byte[] {1, 2, 3}, List.of("w"));
    }

    @Override
    public int countTokens(String text) {
      return 7;
    }
  }

  @Test
  void theDecoratorMovesQueriesOnly() {
    Recording inner = new Recording();
    AdaptedEmbedder e = new AdaptedEmbedder(inner, new QueryAdapter(2, new float[] {0, 1, 1, 0}), "retrieval-adapter-x");
    assertThat(e.name()).isEqualTo("rec");
    assertThat(e.embedQuery("q")).containsExactly(0.8f, 0.6f);
    assertThat(e.embedDocuments(List.of("d")).get(0)).containsExactly(0.6f, 0.8f);
    Embedding t = e.embedQueryWithTokens("q");
    assertThat(t.vector()).containsExactly(0.8f, 0.6f);
    assertThat(t.tokens()).containsExactly(1, 2, 3);
    assertThat(t.words()).containsExactly("w");
    assertThat(e.countTokens("x")).isEqualTo(7);
    assertThatThrownBy(() -> new AdaptedEmbedder(inner, QueryAdapter.identity(3), "v1")).hasMessageContaining("another embedder");
  }
}
