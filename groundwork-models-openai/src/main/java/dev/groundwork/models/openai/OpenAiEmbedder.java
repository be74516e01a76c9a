package dev.groundwork.models.openai;

import dev.groundwork.core.model.ModelException;
import dev.groundwork.core.model.ModelSettings;
import dev.groundwork.core.spi.Embedder;
import dev.groundwork.models.langchain4j.HttpStatusException;
import dev.groundwork.models.langchain4j.StatusHttpClient;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Embeddings from an OpenAI-compatible {@code /embeddings} endpoint, normalized to unit length. The
 * dimension of {@code text-embedding-3-*} and {@code ada-002} is known; for other models it is
 * learned from the first reply. Thread-safe.
 */
public final class OpenAiEmbedder implements Embedder {
  private static final Map<String, Integer> DIMENSIONS = Map.of("text-embedding-3-small", 1536, "text-embedding-3-large", 3072,
      "text-embedding-ada-002", 1536);

  private final String model;
  private final OpenAiEmbeddingModel client;
  private final Tokenizer tokenizer;
  private volatile int dimension;

  OpenAiEmbedder(String model, String baseUrl, String apiKey, ModelSettings s) {
    this.model = model;
    this.client = OpenAiEmbeddingModel.builder().httpClientBuilder(StatusHttpClient.builder(s.connectTimeout()))
        .baseUrl(baseUrl).apiKey(apiKey).modelName(model).timeout(s.timeout()).maxRetries(2).build();
    this.tokenizer = Tokenizer.forModel(model);
    this.dimension = DIMENSIONS.getOrDefault(model, 0);
  }

  /** {@code openai:MODEL}: the name is priced and goes into cache keys. */
  @Override
  public String name() {
    return "openai:" + model;
  }

  @Override
  public int dimension() {
    if (dimension == 0) embedQuery("dimension probe");
    return dimension;
  }

  @Override
  public List<float[]> embedDocuments(List<String> texts) {
    if (texts.isEmpty()) return List.of();
    List<Embedding> got;
    try {
      got = client.embedAll(texts.stream().map(TextSegment::from).toList()).content();
    } catch (RuntimeException e) {
      throw error(e);
    }
    List<float[]> out = new ArrayList<>(got.size());
    for (Embedding e : got) {
      float[] v = e.vector();
      double n = 0;
      for (float f : v) n += f * f;
      float inv = n == 0 ? 0 : (float) (1 / Math.sqrt(n));
      for (int i = 0; i < v.length; i++) v[i] *= inv;
      if (dimension == 0) dimension = v.length;
      else if (v.length != dimension) throw new ModelException(name(), ModelException.Kind.MALFORMED_RESPONSE,
          "embedding has " + v.length + " dimensions, expected " + dimension);
      out.add(v);
    }
    return out;
  }

  @Override
  public float[] embedQuery(String query) {
    return embedDocuments(List.of(query)).get(0);
  }

  @Override
  public int countTokens(String text) {
    return tokenizer.count(text);
  }

  private ModelException error(RuntimeException e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof HttpStatusException h) return new ModelException(name(), OpenAiErrors.kind(h.statusCode(), h.body()), h.getMessage(), h.retryAfter(), e);
    }
    return new ModelException(name(), ModelException.Kind.UNAVAILABLE, String.valueOf(e.getMessage()), null, e);
  }
}
