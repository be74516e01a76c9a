package dev.groundwork.core.budget;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The budgets that apply to a project's model calls: the project's own (per day, per month) and
 * those of the API key a request came with, which the server names for the calls it makes on the
 * request's thread ({@link #paidBy}). Each call reserves its upper-bound cost in the {@link
 * BudgetLedger} first and settles the real cost after; {@code BudgetedChatModel} does that for every
 * model call, so retries, fallbacks, route escalations and streams all count. Immutable; thread-safe.
 */
public final class Budgets {
  /** What a model with no known price gets under a budget: refused (the default), or admitted uncounted. */
  public enum UnknownPrice { REFUSE, ALLOW }

  /** Who a call is charged to beyond the project: a key and its own limits. */
  public record Payer(String keyId, List<BudgetLimit> limits) {
    public Payer {
      limits = List.copyOf(limits);
    }
  }

  /** A budget as it stands: what its period has spent (or holds reserved) and when the period ends (null: never). */
  public record Status(BudgetLimit limit, double spentUsd, java.time.Instant resetsAt) {
    public double remainingUsd() {
      return Math.max(0, limit.usd() - spentUsd);
    }
  }

  /** The output cap a call gets when it names none, so that its bound is a real one. */
  public static final int DEFAULT_MAX_TOKENS = 1024;

  /** No project budget, no default key budget: only keys with their own budgets are held to them. */
  public static Budgets none(Supplier<BudgetLedger> ledger) {
    return new Budgets(List.of(), null, null, UnknownPrice.REFUSE, DEFAULT_MAX_TOKENS, ledger, Clock.systemUTC());
  }

  private static final ThreadLocal<Payer> PAYER = new ThreadLocal<>();

  private final List<BudgetLimit> project;
  private final Double keyDayUsd;
  private final Double keyMonthUsd;
  private final UnknownPrice unknownPrice;
  private final int maxTokens;
  private final Supplier<BudgetLedger> ledger;
  private final Clock clock;

  /**
   * @param project the project's limits
   * @param keyDayUsd every key's daily limit unless it has its own (null: none)
   * @param keyMonthUsd every key's monthly limit unless it has its own (null: none)
   * @param maxTokens the output cap of calls that name none
   * @param ledger where spending is kept; asked for only when a limit applies
   */
  public Budgets(List<BudgetLimit> project, Double keyDayUsd, Double keyMonthUsd, UnknownPrice unknownPrice, int maxTokens,
      Supplier<BudgetLedger> ledger, Clock clock) {
    this.project = List.copyOf(project);
    for (BudgetLimit l : this.project) if (!l.scope().equals(BudgetLimit.PROJECT)) throw new IllegalArgumentException("not a project limit: " + l);
    this.keyDayUsd = keyDayUsd;
    this.keyMonthUsd = keyMonthUsd;
    this.unknownPrice = Objects.requireNonNull(unknownPrice);
    if (maxTokens < 1) throw new IllegalArgumentException("max_tokens must be >= 1, got " + maxTokens);
    this.maxTokens = maxTokens;
    this.ledger = Objects.requireNonNull(ledger);
    this.clock = Objects.requireNonNull(clock);
  }

  /** Runs {@code work} on this thread with its model calls charged to {@code payer} too (null: the project only). */
  public static <T> T paidBy(Payer payer, Supplier<T> work) {
    Payer before = PAYER.get();
    PAYER.set(payer);
    try {
      return work.get();
    } finally {
      if (before == null) PAYER.remove();
      else PAYER.set(before);
    }
  }

  /**
   * The payer for key {@code keyId}: its own limits where it has them, else the project's default key
   * limits (budgets.key_day_usd, key_month_usd).
   */
  public Payer payer(String keyId, Double totalUsd, Double dayUsd, Double monthUsd) {
    List<BudgetLimit> l = new ArrayList<>();
    Double day = dayUsd != null ? dayUsd : keyDayUsd;
    Double month = monthUsd != null ? monthUsd : keyMonthUsd;
    if (day != null) l.add(BudgetLimit.key(keyId, BudgetPeriod.DAY, day));
    if (month != null) l.add(BudgetLimit.key(keyId, BudgetPeriod.MONTH, month));
    if (totalUsd != null) l.add(BudgetLimit.key(keyId, BudgetPeriod.TOTAL, totalUsd));
    return new Payer(keyId, l);
  }

  /** The limits a call made now on this thread is held to: the project's and its payer's. */
  public List<BudgetLimit> limits() {
    Payer p = PAYER.get();
    if (p == null || p.limits().isEmpty()) return project;
    List<BudgetLimit> all = new ArrayList<>(project);
    all.addAll(p.limits());
    return all;
  }

  /** Where each of the project's budgets stands now (empty without project budgets; the store is not opened then). */
  public List<Status> projectStatus() {
    if (project.isEmpty()) return List.of();
    var now = clock.instant();
    BudgetLedger l = ledger.get();
    List<Status> out = new ArrayList<>();
    for (BudgetLimit limit : project) out.add(new Status(limit, l.spent(limit, now), limit.period().resetsAt(now)));
    return out;
  }

  /**
   * Refuses up front when one of {@code payer}'s or the project's budgets is already spent: the server
   * asks before it starts a reply, so that a spent budget gets a 429 rather than a broken stream.
   *
   * @throws BudgetExceededException naming the first spent budget
   */
  public void check(Payer payer) {
    List<BudgetLimit> all = new ArrayList<>(project);
    if (payer != null) all.addAll(payer.limits());
    if (all.isEmpty()) return;
    var now = clock.instant();
    BudgetLedger l = ledger.get();
    for (BudgetLimit limit : all) {
      double spent = l.spent(limit, now);
      if (spent >= limit.usd()) throw new BudgetExceededException(limit, spent, 0, limit.period().resetsAt(now));
    }
  }

  public BudgetLedger.Reservation reserve(List<BudgetLimit> limits, double usd) {
    return ledger.get().reserve(limits, usd, clock.instant());
  }

  public void settle(BudgetLedger.Reservation r, double actualUsd) {
    ledger.get().settle(r, actualUsd);
  }

  public boolean refusesUnknownPrices() {
    return unknownPrice == UnknownPrice.REFUSE;
  }

  public int maxTokens() {
    return maxTokens;
  }
}
