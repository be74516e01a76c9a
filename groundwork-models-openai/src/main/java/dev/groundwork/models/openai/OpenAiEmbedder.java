package dev.groundwork.models.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.core.model.Backoff;
import dev.groundwork.core.model.ModelException;
import dev.groundwork.core.model.ModelSettings;
import dev.groundwork.core.spi.Embedder;
import java.time.Duration;
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

  /** Up to two retries of a retryable failure (rate limit, server error, outage). */
  private static final Backoff RETRIES = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10), System.nanoTime());

  private final String model;
  private final OpenAiHttp http;
  private final Tokenizer tokenizer;
  private volatile int dimension;

  OpenAiEmbedder(String model, String baseUrl, String apiKey, ModelSettings s) {
    this.model = model;
    this.http = new OpenAiHttp("openai:" + model, baseUrl, apiKey, s.connectTimeout(), s.timeout(), s.env());
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
    JsonNode reply = RETRIES.retry(3, () -> http.postJson("/embeddings", Map.of("model", model, "input", texts)));
    float[][] got = new float[texts.size()][];
    for (JsonNode d : reply.path("data")) {
      int i = d.path("index").asInt(-1);
      JsonNode e = d.path("embedding");
      if (i < 0 || i >= got.length || !e.isArray() || e.isEmpty()) {
        throw http.malformed("an embedding in the reply has no valid index or vector: " + OpenAiHttp.abbreviate(d.toString()), null);
      }
      float[] v = new float[e.size()];
      for (int j = 0; j < v.length; j++) v[j] = (float) e.get(j).asDouble();
      got[i] = v;
    }
    for (int i = 0; i < got.length; i++) {
      if (got[i] == null) throw http.malformed("the reply has no embedding for input " + i + " of " + got.length, null);
    }
    List<float[]> out = new ArrayList<>(got.length);
    for (float[] v : got) {
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
}
