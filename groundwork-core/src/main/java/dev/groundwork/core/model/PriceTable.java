package dev.groundwork.core.model;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Prices by model name ({@code provider:model}). Unknown models have no price: {@link #cost} then
 * returns null, never 0, so an unknown cost is never mistaken for a free one. Local models
 * ({@code extractive}, {@code llamacpp:*}, {@code local:*}) cost nothing. Immutable.
 */
public final class PriceTable {
  /**
   * Defaults as the providers published them (USD per 1M tokens: input, cached input, output);
   * override in groundwork.yaml when they change.
   */
  public static final PriceTable DEFAULTS = new PriceTable(Map.ofEntries(
      Map.entry("openai:gpt-4.1", new Price(2.00, 0.50, 8.00)),
      Map.entry("openai:gpt-4.1-mini", new Price(0.40, 0.10, 1.60)),
      Map.entry("openai:gpt-4.1-nano", new Price(0.10, 0.025, 0.40)),
      Map.entry("openai:gpt-4o", new Price(2.50, 1.25, 10.00)),
      Map.entry("openai:gpt-4o-mini", new Price(0.15, 0.075, 0.60)),
      Map.entry("openai:text-embedding-3-small", new Price(0.02, 0.02, 0)),
      Map.entry("openai:text-embedding-3-large", new Price(0.13, 0.13, 0)),
      Map.entry("anthropic:claude-haiku-4-5", new Price(1.00, 0.10, 5.00)),
      Map.entry("anthropic:claude-sonnet-4-5", new Price(3.00, 0.30, 15.00)),
      Map.entry("anthropic:claude-opus-4-1", new Price(15.00, 1.50, 75.00))));

  private final Map<String, Price> prices;

  public PriceTable(Map<String, Price> prices) {
    this.prices = Map.copyOf(prices);
  }

  /** A table with {@code overrides} replacing or adding entries. */
  public PriceTable with(Map<String, Price> overrides) {
    Map<String, Price> m = new HashMap<>(prices);
    m.putAll(overrides);
    return new PriceTable(m);
  }

  /** The price of {@code model}, or null when unknown. */
  public Price price(String model) {
    Objects.requireNonNull(model, "model");
    if (isLocal(model)) return new Price(0, 0, 0);
    return prices.get(model);
  }

  /** USD for {@code usage} of {@code model}, or null when the model's price is unknown. */
  public Double cost(String model, TokenUsage usage) {
    Price p = price(model);
    return p == null ? null : p.cost(usage);
  }

  static boolean isLocal(String model) {
    return model.equals("extractive") || model.startsWith("llamacpp:") || model.startsWith("local:");
  }

  /** Sums costs; any unknown (null) part makes the total unknown. */
  public static Double sum(Double... parts) {
    double s = 0;
    for (Double d : parts) {
      if (d == null) return null;
      s += d;
    }
    return s;
  }
}
