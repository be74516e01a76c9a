package dev.groundwork.core.answer;

import dev.groundwork.core.spi.Embedder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Cosine similarity between the question (embedded as a query) and each sentence (embedded as a
 * passage). Sentence vectors are kept in a bounded in-memory LRU cache, since the same sentences come
 * back for related questions. Thread-safe.
 */
public final class EmbeddingSentenceScorer implements SentenceScorer {
  private final Embedder embedder;
  private final Map<String, float[]> cache;

  public EmbeddingSentenceScorer(Embedder embedder, int cacheSize) {
    this.embedder = Objects.requireNonNull(embedder);
    this.cache = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, float[]> e) {
        return size() > cacheSize;
      }
    };
  }

  @Override
  public double[] similarity(String question, List<String> sentences) {
    float[] q = embedder.embedQuery(question);
    float[][] vs = new float[sentences.size()][];
    List<String> missing = new ArrayList<>();
    synchronized (cache) {
      for (int i = 0; i < vs.length; i++) {
        vs[i] = cache.get(sentences.get(i));
        if (vs[i] == null && !missing.contains(sentences.get(i))) missing.add(sentences.get(i));
      }
    }
    if (!missing.isEmpty()) {
      List<float[]> fresh = embedder.embedDocuments(missing);
      synchronized (cache) {
        for (int i = 0; i < missing.size(); i++) cache.put(missing.get(i), fresh.get(i));
        for (int i = 0; i < vs.length; i++) if (vs[i] == null) vs[i] = fresh.get(missing.indexOf(sentences.get(i)));
      }
    }
    double[] out = new double[vs.length];
    for (int i = 0; i < vs.length; i++) {
      double dot = 0;
      for (int d = 0; d < q.length; d++) dot += q[d] * vs[i][d];
      out[i] = dot;
    }
    return out;
  }
}
