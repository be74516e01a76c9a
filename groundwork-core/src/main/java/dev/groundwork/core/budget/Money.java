package dev.groundwork.core.budget;

import java.util.Locale;

/** Dollar amounts as the ledger stores them (whole nano-dollars, so sums are exact) and as messages print them. */
public final class Money {
  private Money() {}

  /**
   * {@code usd} in nano-dollars, rounded up (a reservation is never smaller than what it stands for),
   * after forgiving the last bits of binary floating point: 0.00102 is 1,020,000, not 1,020,001.
   */
  public static long nanos(double usd) {
    return (long) Math.ceil(usd * 1e9 - 1e-3);
  }

  public static double usd(long nanos) {
    return nanos / 1e9;
  }

  /** "$4.999100": to the micro-dollar, for amounts spent and reserved. */
  public static String exact(double usd) {
    return String.format(Locale.ROOT, "$%.6f", usd);
  }

  /** "$5.00", or with more digits for amounts under a cent: "$0.000123". */
  public static String usd(double usd) {
    return Math.abs(usd) >= 0.01 || usd == 0 ? String.format(Locale.ROOT, "$%.2f", usd) : String.format(Locale.ROOT, "$%.6f", usd);
  }
}
