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

  /** An embedder of this provider; providers without embeddings throw IllegalArgumentException. */
  default Embedder embedder(String model, ModelSettings settings) {
    throw new IllegalArgumentException(prefix() + " has no embedding models");
  }
}
