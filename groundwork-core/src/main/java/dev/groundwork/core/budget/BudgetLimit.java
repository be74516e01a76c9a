package dev.groundwork.core.budget;

import java.util.Objects;

/**
 * One cap on spending: the most {@code scope} may spend in a {@code period}, in US dollars.
 *
 * @param scope {@code project}, or {@code key:ID} for one API key
 */
public record BudgetLimit(String scope, BudgetPeriod period, double usd) {
  public static final String PROJECT = "project";

  public BudgetLimit {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(period, "period");
    if (!(usd >= 0) || Double.isInfinite(usd)) throw new IllegalArgumentException("a budget must be a finite amount >= 0 USD, got " + usd);
  }

  public static BudgetLimit project(BudgetPeriod period, double usd) {
    return new BudgetLimit(PROJECT, period, usd);
  }

  public static BudgetLimit key(String keyId, BudgetPeriod period, double usd) {
    return new BudgetLimit("key:" + keyId, period, usd);
  }

  /** "the project's daily budget of $5.00" or "key 81d0c2aa9f3e's monthly budget of $20.00". */
  public String describe() {
    String who = scope.equals(PROJECT) ? "the project's" : "key " + scope.substring(scope.indexOf(':') + 1) + "'s";
    return who + " " + period.adjective() + " budget of " + Money.usd(usd);
  }
}
