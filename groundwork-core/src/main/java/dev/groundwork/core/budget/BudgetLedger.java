package dev.groundwork.core.budget;

import java.time.Instant;
import java.util.List;

/**
 * Where spending against budgets is kept. A reservation is taken before a model call, for the call's
 * upper-bound cost, and settled afterwards to what the call really cost. Implementations make
 * {@link #reserve} atomic in their store (all the limits or none, and never past a limit), so
 * processes that share the store share the budgets. Thread-safe.
 */
public interface BudgetLedger {
  /** One reserved amount, held against each limit's period as it was when reserved. */
  record Reservation(List<Slot> slots, long nanos) {
    public Reservation {
      slots = List.copyOf(slots);
    }
  }

  /** A budget's row: its scope and the key of its period ({@code 2026-12-03}, {@code 2026-12}, {@code total}). */
  record Slot(String scope, String period) {}

  /**
   * Reserves {@code usd} against every limit at once.
   *
   * @throws BudgetExceededException (and reserves nothing) when the amount does not fit one of them
   */
  Reservation reserve(List<BudgetLimit> limits, double usd, Instant now);

  /** Replaces the reservation by {@code actualUsd}, what the call cost (0 releases it). */
  void settle(Reservation reservation, double actualUsd);

  /** What has been spent or reserved against {@code limit}'s scope in the period holding {@code now}. */
  double spent(BudgetLimit limit, Instant now);
}
