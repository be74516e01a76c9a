package dev.groundwork.core.model;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link ChatModel} is asked.
 *
 * @param temperature 0..2, or null for the provider's default
 * @param maxTokens output limit, or null
 * @param responseSchema a JSON Schema (JSON text) the reply must match, or null for free text
 * @param logprobs ask for the reply's token log-probabilities, where the provider returns them
 *     ({@link ChatResponse#meanLogprob})
 */
public record ChatRequest(List<ChatMessage> messages, Double temperature, Integer maxTokens, List<ToolSpec> tools, String responseSchema,
    Long seed, boolean logprobs) {
  public ChatRequest {
    messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
    if (messages.isEmpty()) throw new IllegalArgumentException("a chat request needs at least one message");
    tools = tools == null ? List.of() : List.copyOf(tools);
    if (temperature != null && (temperature < 0 || temperature > 2)) throw new IllegalArgumentException("temperature must be in 0..2, got " + temperature);
    if (maxTokens != null && maxTokens < 1) throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
  }

  public ChatRequest(List<ChatMessage> messages, Double temperature, Integer maxTokens, List<ToolSpec> tools, String responseSchema, Long seed) {
    this(messages, temperature, maxTokens, tools, responseSchema, seed, false);
  }

  /** This request with output limit {@code n}. */
  public ChatRequest withMaxTokens(int n) {
    return new ChatRequest(messages, temperature, n, tools, responseSchema, seed, logprobs);
  }

  public static ChatRequest of(ChatMessage... messages) {
    return new ChatRequest(List.of(messages), null, null, List.of(), null, null);
  }
}
