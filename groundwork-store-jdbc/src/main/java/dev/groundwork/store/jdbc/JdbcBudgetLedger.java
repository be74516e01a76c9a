package dev.groundwork.store.jdbc;

import dev.groundwork.core.budget.BudgetExceededException;
import dev.groundwork.core.budget.BudgetLedger;
import dev.groundwork.core.budget.BudgetLimit;
import dev.groundwork.core.budget.Money;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Budgets in a {@link JdbcStore}'s {@code budget_spend} table. A reservation is one transaction: for
 * each limit (in a fixed order, so two transactions never wait on each other in a cycle) the row is
 * created if missing, then raised by a conditional {@code UPDATE ... WHERE spent + amount <= limit}.
 * PostgreSQL re-checks that condition against the latest committed row after waiting for its lock,
 * and SQLite has one writer at a time, so concurrent reservations (from any number of processes on
 * one database) never take a budget past its limit. Amounts are whole nano-dollars: sums are exact.
 * Thread-safe.
 */
public final class JdbcBudgetLedger implements BudgetLedger {
  private final JdbcStore store;

  public JdbcBudgetLedger(JdbcStore store) {
    this.store = store;
  }

  @Override
  public Reservation reserve(List<BudgetLimit> limits, double usd, Instant now) {
    if (!(usd >= 0) || Double.isInfinite(usd)) throw new IllegalArgumentException("a reservation must be a finite amount >= 0 USD, got " + usd);
    long nanos = Money.nanos(usd);
    List<BudgetLimit> ordered = new ArrayList<>(limits);
    ordered.sort(Comparator.comparing(BudgetLimit::scope).thenComparing(l -> l.period().key(now)));
    List<Slot> slots = new ArrayList<>();
    for (BudgetLimit l : ordered) slots.add(new Slot(l.scope(), l.period().key(now)));
    if (slots.isEmpty()) return new Reservation(slots, 0);
    try {
      store.inTransaction(c -> {
        for (int i = 0; i < ordered.size(); i++) {
          BudgetLimit l = ordered.get(i);
          Slot s = slots.get(i);
          ensureRow(c, s);
          try (PreparedStatement ps = c.prepareStatement(
              "UPDATE budget_spend SET spent_nanos = spent_nanos + ? WHERE scope = ? AND period = ? AND spent_nanos + ? <= ?")) {
            ps.setLong(1, nanos);
            ps.setString(2, s.scope());
            ps.setString(3, s.period());
            ps.setLong(4, nanos);
            ps.setLong(5, (long) Math.floor(l.usd() * 1e9));
            if (ps.executeUpdate() == 0) throw new Refused(l, read(c, s)); // rolls back what this transaction reserved already
          }
        }
        return null;
      });
    } catch (Refused e) {
      throw new BudgetExceededException(e.limit, Money.usd(e.spentNanos), usd, e.limit.period().resetsAt(now));
    }
    return new Reservation(slots, nanos);
  }

  /** Thrown inside the transaction to roll it back when a limit does not fit. */
  private static final class Refused extends RuntimeException {
    final transient BudgetLimit limit;
    final long spentNanos;

    Refused(BudgetLimit limit, long spentNanos) {
      super(null, null, false, false);
      this.limit = limit;
      this.spentNanos = spentNanos;
    }
  }

  @Override
  public void settle(Reservation r, double actualUsd) {
    if (r.slots().isEmpty()) return;
    long delta = Money.nanos(Math.max(0, actualUsd)) - r.nanos();
    if (delta == 0) return;
    store.inTransaction(c -> {
      for (Slot s : r.slots()) {
        try (PreparedStatement ps = c.prepareStatement("UPDATE budget_spend SET spent_nanos = spent_nanos + ? WHERE scope = ? AND period = ?")) {
          ps.setLong(1, delta);
          ps.setString(2, s.scope());
          ps.setString(3, s.period());
          ps.executeUpdate();
        }
      }
      return null;
    });
  }

  @Override
  public double spent(BudgetLimit limit, Instant now) {
    Slot s = new Slot(limit.scope(), limit.period().key(now));
    return Money.usd(store.with(c -> read(c, s)));
  }

  private static void ensureRow(Connection c, Slot s) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO budget_spend (scope, period, spent_nanos) VALUES (?, ?, 0) ON CONFLICT (scope, period) DO NOTHING")) {
      ps.setString(1, s.scope());
      ps.setString(2, s.period());
      ps.executeUpdate();
    }
  }

  private static long read(Connection c, Slot s) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT spent_nanos FROM budget_spend WHERE scope = ? AND period = ?")) {
      ps.setString(1, s.scope());
      ps.setString(2, s.period());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }
}
