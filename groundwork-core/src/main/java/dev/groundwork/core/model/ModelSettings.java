package dev.groundwork.core.model;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach and drive a model. Null fields mean "the provider's default" (for the base URL and key
 * the provider then reads its standard environment variables from {@link #env()}).
 *
 * @param baseUrl the API base URL, or null
 * @param apiKey the API key, or null
 * @param connectTimeout time allowed to open a connection
 * @param timeout time allowed for a whole call, streaming included
 * @param contextWindow the model's context window in tokens, or null for the provider's default
 * @param modelsDir where local model files live (for {@code llamacpp:NAME}), or null
 * @param env the environment to read {@code OPENAI_API_KEY} and the like from (injected for tests)
 */
public record ModelSettings(String baseUrl, String apiKey, Duration connectTimeout, Duration timeout, Integer contextWindow,
    java.nio.file.Path modelsDir, Map<String, String> env) {
  public ModelSettings {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(timeout, "timeout");
    if (connectTimeout.isNegative() || connectTimeout.isZero()) throw new IllegalArgumentException("connect timeout must be > 0");
    if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be > 0");
    if (contextWindow != null && contextWindow < 256) throw new IllegalArgumentException("context window must be >= 256 tokens, got " + contextWindow);
    env = env == null ? Map.of() : Map.copyOf(env);
  }

  public static ModelSettings defaults() {
    return new ModelSettings(null, null, Duration.ofSeconds(10), Duration.ofSeconds(120), null, null, System.getenv());
  }

  /** {@code explicit} when set, else the environment variable {@code var}, else null. */
  public String pick(String explicit, String var) {
    if (explicit != null && !explicit.isBlank()) return explicit;
    String v = env.get(var);
    return v == null || v.isBlank() ? null : v;
  }

  public ModelSettings withBaseUrl(String url) {
    return new ModelSettings(url, apiKey, connectTimeout, timeout, contextWindow, modelsDir, env);
  }

  public ModelSettings withApiKey(String key) {
    return new ModelSettings(baseUrl, key, connectTimeout, timeout, contextWindow, modelsDir, env);
  }

  public ModelSettings withTimeouts(Duration connect, Duration overall) {
    return new ModelSettings(baseUrl, apiKey, connect, overall, contextWindow, modelsDir, env);
  }

  public ModelSettings withContextWindow(Integer tokens) {
    return new ModelSettings(baseUrl, apiKey, connectTimeout, timeout, tokens, modelsDir, env);
  }

  public ModelSettings withModelsDir(java.nio.file.Path dir) {
    return new ModelSettings(baseUrl, apiKey, connectTimeout, timeout, contextWindow, dir, env);
  }

  public ModelSettings withEnv(Map<String, String> e) {
    return new ModelSettings(baseUrl, apiKey, connectTimeout, timeout, contextWindow, modelsDir, e);
  }
}
