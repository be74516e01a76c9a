package dev.groundwork.core.model;

/**
 * USD per one million tokens.
 *
 * @param cachedInput price of input tokens served from the provider's prompt cache
 */
public record Price(double input, double cachedInput, double output) {
  public Price {
    if (input < 0 || cachedInput < 0 || output < 0) throw new IllegalArgumentException("prices must be >= 0");
  }

  /** The cost of {@code usage} in USD: uncached input, cached input and output, each at its price. */
  public double cost(TokenUsage usage) {
    long uncached = usage.inputTokens() - usage.cachedInputTokens();
    return (uncached * input + usage.cachedInputTokens() * cachedInput + usage.outputTokens() * output) / 1_000_000.0;
  }
}
