package dev.groundwork.core.budget;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** The span a budget covers. Days and months are UTC calendar days and months; a total never resets. */
public enum BudgetPeriod {
  DAY("daily"), MONTH("monthly"), TOTAL("total");

  private final String adjective;

  BudgetPeriod(String adjective) {
    this.adjective = adjective;
  }

  /** "daily", "monthly" or "total", as messages say it. */
  public String adjective() {
    return adjective;
  }

  /** The stored key of the period holding {@code now}: {@code 2026-12-03}, {@code 2026-12} or {@code total}. */
  public String key(Instant now) {
    LocalDate d = LocalDate.ofInstant(now, ZoneOffset.UTC);
    return switch (this) {
      case DAY -> d.toString();
      case MONTH -> d.toString().substring(0, 7);
      case TOTAL -> "total";
    };
  }

  /** When the period holding {@code now} ends, or null for a total. */
  public Instant resetsAt(Instant now) {
    LocalDate d = LocalDate.ofInstant(now, ZoneOffset.UTC);
    return switch (this) {
      case DAY -> d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      case MONTH -> d.withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      case TOTAL -> null;
    };
  }
}
