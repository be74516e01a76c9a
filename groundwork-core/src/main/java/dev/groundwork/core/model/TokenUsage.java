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

  public TokenUsage plus(TokenUsage o) {
    return new TokenUsage(inputTokens + o.inputTokens, cachedInputTokens + o.cachedInputTokens, outputTokens + o.outputTokens,
        estimated || o.estimated);
  }
}
