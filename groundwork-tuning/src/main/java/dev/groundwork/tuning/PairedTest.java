package dev.groundwork.tuning;

import java.util.Random;

/**
 * A one-sided paired sign-flip (randomisation) test over per-question scores: how likely a mean
 * improvement at least as large as the observed one would be if the two systems were exchangeable
 * question by question. Used wherever a learned or tuned choice must beat what it replaces.
 */
public final class PairedTest {
  private PairedTest() {}

  /** @return the p-value that {@code a} beats {@code b}, in (0, 1]; {@code (1 + hits) / (1 + resamples)} */
  public static double pValue(double[] a, double[] b, int resamples, long seed) {
    if (a.length != b.length) throw new IllegalArgumentException("paired scores differ in length: " + a.length + " and " + b.length);
    int n = a.length;
    double[] d = new double[n];
    double observed = 0;
    for (int i = 0; i < n; i++) observed += (d[i] = a[i] - b[i]);
    Random rnd = new Random(seed);
    int atLeast = 0;
    for (int r = 0; r < resamples; r++) {
      double s = 0;
      for (double x : d) s += rnd.nextBoolean() ? x : -x;
      if (s >= observed - 1e-12) atLeast++;
    }
    return (1.0 + atLeast) / (1.0 + resamples);
  }

  public static double mean(double[] x) {
    double s = 0;
    for (double v : x) s += v;
    return x.length == 0 ? 0 : s / x.length;
  }
}
