package dev.groundwork.core.model;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Prices by model name ({@code provider:model}). Unknown models have no price: {@link #cost} then
 * returns null, never 0, so an unknown cost is never mistaken for a free one. {@code extractive} and
 * the models of local providers cost nothing. Immutable.
 */
public final class PriceTable {
  /**
   * Defaults as the providers published them (USD per 1M tokens: input, cached input, output);
   * override in groundwork.yaml when they change.
   */
  /**
   * No prices: every hosted model's cost is unknown (null) and only {@code extractive} is free. The
   * providers publish their own prices ({@link ChatModelProvider#prices()}); {@link ModelRegistry#prices()}
   * gathers them.
   */
  public static final PriceTable DEFAULTS = new PriceTable(Map.of(), java.util.Set.of());

  private final Map<String, Price> prices;
  private final java.util.Set<String> freePrefixes;

  public PriceTable(Map<String, Price> prices) {
    this(prices, java.util.Set.of());
  }

  /**
   * @param prices by full model name ({@code provider:model})
   * @param freePrefixes providers whose models run locally and cost nothing ({@code llamacpp}, say)
   */
  public PriceTable(Map<String, Price> prices, java.util.Set<String> freePrefixes) {
    this.prices = Map.copyOf(prices);
    this.freePrefixes = java.util.Set.copyOf(freePrefixes);
  }

  /** A table with {@code overrides} replacing or adding entries. */
  public PriceTable with(Map<String, Price> overrides) {
    Map<String, Price> m = new HashMap<>(prices);
    m.putAll(overrides);
    return new PriceTable(m, freePrefixes);
  }

  /** The price of {@code model}, or null when unknown. */
  public Price price(String model) {
    Objects.requireNonNull(model, "model");
    if (isFree(model)) return new Price(0, 0, 0);
    return prices.get(model);
  }

  /** USD for {@code usage} of {@code model}, or null when the model's price is unknown. */
  public Double cost(String model, TokenUsage usage) {
    Price p = price(model);
    return p == null ? null : p.cost(usage);
  }

  private boolean isFree(String model) {
    int colon = model.indexOf(':');
    return model.equals("extractive") || (colon > 0 && freePrefixes.contains(model.substring(0, colon)));
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
