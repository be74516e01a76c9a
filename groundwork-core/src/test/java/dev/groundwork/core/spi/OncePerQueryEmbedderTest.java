package dev.groundwork.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class OncePerQueryEmbedderTest {
  /** Counts what it is asked to embed; its queries carry a token signature. */
  static final class Counting implements Embedder {
    final List<String> queries = Collections.synchronizedList(new ArrayList<>());

    @Override
    public String name() {
      return "counting";
    }

    @Override
    public int dimension() {
      return 2;
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
      return texts.stream().map(t -> new float[] {1, 0}).toList();
    }

    @Override
    public float[] embedQuery(String query) {
      queries.add(query);
      return new float[] {query.length(), 1};
    }

    @Override
    public boolean tokenSignatures() {
      return true;
    }

    @Override
    public Embedding embedQueryWithTokens(String query) {
      queries.add(query);
      return new Embedding(new float[] {query.length(), 1}, new byte[] {7}, List.of(query));
    }

    @Override
    public int countTokens(String text) {
      return 1;
    }
  }

  @Test
  void aQueryAskedAgainOnTheSameThreadIsEmbeddedOnce() throws Exception {
    Counting inner = new Counting();
    OncePerQueryEmbedder e = new OncePerQueryEmbedder(inner);
    float[] v = e.embedQuery("ab");
    assertThat(v).containsExactly(2f, 1f);
    v[0] = 99; // a caller's change to its copy stays its own
    assertThat(e.embedQueryWithTokens("ab").tokens()).containsExactly(7);
    assertThat(e.embedQuery("ab")).containsExactly(2f, 1f);
    assertThat(inner.queries).containsExactly("ab");
    // another query replaces it; the first is then embedded again
    e.embedQuery("abc");
    e.embedQuery("ab");
    assertThat(inner.queries).containsExactly("ab", "abc", "ab");
    // another thread keeps its own
    Thread t = new Thread(() -> e.embedQuery("ab"));
    t.start();
    t.join();
    assertThat(inner.queries).containsExactly("ab", "abc", "ab", "ab");
    // documents pass through, and so do the name and dimension
    assertThat(e.embedDocuments(List.of("x"))).hasSize(1);
    assertThat(e.name()).isEqualTo("counting");
    assertThat(e.dimension()).isEqualTo(2);
  }
}
