package dev.groundwork.core.budget;

import java.time.Instant;

/**
 * A call was refused because its upper-bound cost does not fit a budget. Nothing was sent to the model.
 *
 * @see BudgetLedger#reserve
 */
public final class BudgetExceededException extends RuntimeException {
  private final transient BudgetLimit limit;
  private final double spentUsd;
  private final double requestUsd;
  private final Instant resetsAt;

  public BudgetExceededException(BudgetLimit limit, double spentUsd, double requestUsd, Instant resetsAt) {
    super(limit.describe() + " is spent: " + Money.exact(spentUsd) + " used or reserved, and this call may cost up to " + Money.exact(requestUsd)
        + (resetsAt == null ? "; it never resets (raise it, or use another key)" : "; it resets at " + resetsAt)
        + (limit.scope().equals(BudgetLimit.PROJECT) ? " (budgets: in groundwork.yaml)" : ""));
    this.limit = limit;
    this.spentUsd = spentUsd;
    this.requestUsd = requestUsd;
    this.resetsAt = resetsAt;
  }

  public BudgetLimit limit() {
    return limit;
  }

  public double spentUsd() {
    return spentUsd;
  }

  public double requestUsd() {
    return requestUsd;
  }

  /** When the budget's period ends, or null for a total budget. */
  public Instant resetsAt() {
    return resetsAt;
  }
}
