package dev.groundwork.eval;

/**
 * The exact McNemar test on paired pass/fail outcomes: of the cases where two models disagree,
 * {@code b} passed only with the first and {@code c} only with the second. Under the null hypothesis
 * (neither is better) each disagreement is a fair coin, so the two-sided p-value is
 * {@code min(1, 2 * P(X <= min(b, c)))} with {@code X ~ Binomial(b + c, 1/2)}. Exact at any size,
 * which matters for suites of 50-200 cases where disagreements are few.
 */
public final class McNemar {
  private McNemar() {}

  /** The two-sided exact p-value; 1 when there are no disagreements. */
  public static double exactP(int b, int c) {
    if (b < 0 || c < 0) throw new IllegalArgumentException("counts must be >= 0, got " + b + " and " + c);
    int n = b + c;
    if (n == 0) return 1.0;
    int k = Math.min(b, c);
    // sum of C(n, i) / 2^n for i <= k, in logs so that n in the thousands does not overflow
    double tail = 0;
    for (int i = 0; i <= k; i++) tail += Math.exp(logChoose(n, i) - n * Math.log(2));
    return Math.min(1.0, 2 * tail);
  }

  private static double logChoose(int n, int k) {
    double s = 0;
    for (int i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
    return s;
  }
}
