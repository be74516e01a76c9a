package dev.groundwork.core.model;

import dev.groundwork.core.spi.Embedder;

/**
 * A family of models found by the prefix of their name ({@code openai:gpt-4.1-mini} is model
 * {@code gpt-4.1-mini} of provider {@code openai}). Implementations are listed in
 * {@code META-INF/services/dev.groundwork.core.model.ChatModelProvider} of their module.
 */
public interface ChatModelProvider {
  /** The name prefix, e.g. {@code openai}. */
  String prefix();

  /**
   * A model of this provider. Creating one does not call the network.
   *
   * @param model the name after the prefix
   * @throws IllegalArgumentException when settings are missing (no API key, say), naming what to set
   */
  ChatModel chatModel(String model, ModelSettings settings);

  /** The keys of a hosted provider's endpoint: where it is and the key to call it with. */
  java.util.Set<String> ENDPOINT_KEYS = java.util.Set.of("base_url", "api_key");

  /**
   * The keys this provider takes under {@code models.<prefix>:} in groundwork.yaml (e.g.
   * {@code base_url}, {@code api_key}); none by default.
   */
  default java.util.Set<String> configKeys() {
    return java.util.Set.of();
  }

  /** Published prices of this provider's models, by the name after the prefix; none by default. */
  default java.util.Map<String, Price> prices() {
    return java.util.Map.of();
  }

  /**
   * How {@code model}'s tokens are counted offline. The default is an estimate; a provider whose
   * tokenizer ships with it counts exactly.
   */
  default TokenCounter tokenCounter(String model) {
    return TokenCounter.estimate("no tokenizer for " + prefix() + " models is available offline", 8192);
  }

  /** True when its models run on this machine, so they cost nothing per token. */
  default boolean local() {
    return false;
  }

  /** An embedder of this provider; providers without embeddings throw IllegalArgumentException. */
  default Embedder embedder(String model, ModelSettings settings) {
    throw new IllegalArgumentException(prefix() + " has no embedding models");
  }
}
