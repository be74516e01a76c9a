package dev.groundwork.core.budget;

/** A model with no known price was called while a budget applies, and the budget refuses unknown prices. */
public final class UnpricedModelException extends RuntimeException {
  public UnpricedModelException(String model) {
    super("model " + model + " has no price, and a budget applies: an unknown cost is never counted as $0. Add its price under prices: in "
        + "groundwork.yaml (USD per 1M tokens: input, output), or set budgets.unknown_price: allow to admit it uncounted");
  }
}
