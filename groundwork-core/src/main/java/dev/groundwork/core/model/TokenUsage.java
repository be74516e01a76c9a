package dev.groundwork.core.model;

/**
 * Tokens of one model call.
 *
 * @param cachedInputTokens the part of {@code inputTokens} served from the provider's prompt cache
 * @param estimated true when the provider reported nothing and the counts were made locally
 */
public record TokenUsage(long inputTokens, long cachedInputTokens, long outputTokens, boolean estimated) {
  public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, false);

  public TokenUsage {
    if (inputTokens < 0 || cachedInputTokens < 0 || outputTokens < 0) throw new IllegalArgumentException("token counts must be >= 0");
    if (cachedInputTokens > inputTokens) throw new IllegalArgumentException("cached input tokens exceed input tokens");
  }

  /**
   * Counts made locally, for a provider that reported none: each message's tokens plus 4 for its
   * framing, and the reply's tokens; marked estimated.
   */
  public static TokenUsage estimate(ChatRequest request, String reply, java.util.function.ToIntFunction<String> tokens) {
    long in = 0;
    for (ChatMessage m : request.messages()) in += tokens.applyAsInt(m.content()) + 4;
    return new TokenUsage(in, 0, tokens.applyAsInt(reply), true);
  }

  public TokenUsage plus(TokenUsage o) {
    return new TokenUsage(inputTokens + o.inputTokens, cachedInputTokens + o.cachedInputTokens, outputTokens + o.outputTokens,
        estimated || o.estimated);
  }
}
