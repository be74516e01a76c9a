package dev.groundwork.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Quality against the share of prompts sent to the strong model, as a router's threshold sweeps
 * from "all weak" to "all strong" (RouteLLM's definitions). Prompts with higher router scores go to
 * the strong model first; prompts with equal scores move together, so between the points where a
 * group of ties has moved the curve is a straight line (the expectation over any order of the ties).
 *
 * <p>PGR at a point is (quality − weak) / (strong − weak); APGR is the area under the curve,
 * normalised the same way; CPT(x) is the smallest strong share whose PGR reaches x.
 */
public final class RoutingCurve {
  private final double[] share; // strong share at each point, 0..1, increasing
  private final double[] quality; // mean quality at each point
  private final double weak;
  private final double strong;

  private RoutingCurve(double[] share, double[] quality, double weak, double strong) {
    this.share = share;
    this.quality = quality;
    this.weak = weak;
    this.strong = strong;
  }

  /**
   * The curve of a router.
   *
   * @param score the router's score per prompt: higher means "send to the strong model" sooner
   * @param weak the weak model's quality per prompt (0..1)
   * @param strong the strong model's quality per prompt (0..1)
   */
  public static RoutingCurve of(double[] score, double[] weak, double[] strong) {
    int n = score.length;
    if (n == 0 || weak.length != n || strong.length != n) throw new IllegalArgumentException("one score, weak and strong quality per prompt, and at least one prompt");
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -score[i]));
    double sumWeak = 0, sumStrong = 0;
    for (int i = 0; i < n; i++) {
      sumWeak += weak[i];
      sumStrong += strong[i];
    }
    List<double[]> points = new ArrayList<>();
    double q = sumWeak;
    points.add(new double[] {0, q / n});
    int i = 0;
    while (i < n) {
      int j = i;
      while (j < n && score[order[j]] == score[order[i]]) {
        q += strong[order[j]] - weak[order[j]];
        j++;
      }
      points.add(new double[] {(double) j / n, q / n});
      i = j;
    }
    double[] s = new double[points.size()], qq = new double[points.size()];
    for (int k = 0; k < points.size(); k++) {
      s[k] = points.get(k)[0];
      qq[k] = points.get(k)[1];
    }
    return new RoutingCurve(s, qq, sumWeak / n, sumStrong / n);
  }

  /** Whether routing between the two means anything: the strong model's total quality is above the weak one's (else PGR is undefined). */
  public static boolean routable(double[] weak, double[] strong) {
    double gap = 0;
    for (int i = 0; i < weak.length; i++) gap += strong[i] - weak[i];
    return gap > 0;
  }

  /** The oracle: sends a prompt to the strong model exactly where that gains the most. */
  public static RoutingCurve oracle(double[] weak, double[] strong) {
    double[] gain = new double[weak.length];
    for (int i = 0; i < gain.length; i++) gain[i] = strong[i] - weak[i];
    return of(gain, weak, strong);
  }

  /** The mean APGR of {@code runs} random routers (seeded), about 0.5. */
  public static double randomApgr(double[] weak, double[] strong, int runs, long seed) {
    Random r = new Random(seed);
    double sum = 0;
    for (int k = 0; k < runs; k++) {
      double[] s = new double[weak.length];
      for (int i = 0; i < s.length; i++) s[i] = r.nextDouble();
      sum += of(s, weak, strong).apgr();
    }
    return sum / runs;
  }

  /**
   * A paired bootstrap of two routers on the same prompts: the share of {@code resamples} prompt
   * resamples (seeded) on which router {@code a}'s APGR is not above router {@code b}'s. Small
   * values say {@code a} is better beyond chance. Resamples where the strong model is no better
   * than the weak one (APGR undefined) are drawn again.
   */
  public static double pValueBetter(double[] a, double[] b, double[] weak, double[] strong, int resamples, long seed) {
    int n = weak.length;
    Random r = new Random(seed);
    int notBetter = 0, done = 0, tries = 0;
    double[] ra = new double[n], rb = new double[n], rw = new double[n], rs = new double[n];
    while (done < resamples && tries++ < resamples * 10) {
      for (int i = 0; i < n; i++) {
        int k = r.nextInt(n);
        ra[i] = a[k];
        rb[i] = b[k];
        rw[i] = weak[k];
        rs[i] = strong[k];
      }
      if (!routable(rw, rs)) continue;
      if (of(ra, rw, rs).apgr() <= of(rb, rw, rs).apgr()) notBetter++;
      done++;
    }
    return done == 0 ? 1.0 : (double) notBetter / done;
  }

  public double weakQuality() {
    return weak;
  }

  public double strongQuality() {
    return strong;
  }

  /** Mean quality with {@code strongShare} (0..1) of the prompts sent to the strong model. */
  public double quality(double strongShare) {
    if (strongShare <= 0) return quality[0];
    if (strongShare >= 1) return quality[quality.length - 1];
    int k = Arrays.binarySearch(share, strongShare);
    if (k >= 0) return quality[k];
    int hi = -k - 1, lo = hi - 1;
    double t = (strongShare - share[lo]) / (share[hi] - share[lo]);
    return quality[lo] + t * (quality[hi] - quality[lo]);
  }

  /** Performance gap recovered at a strong share: (quality − weak) / (strong − weak). */
  public double pgr(double strongShare) {
    return (quality(strongShare) - weak) / gap();
  }

  /** Average performance gap recovered: the normalised area under the curve. */
  public double apgr() {
    double area = 0;
    for (int k = 1; k < share.length; k++) area += (share[k] - share[k - 1]) * (quality[k] + quality[k - 1]) / 2;
    return (area - weak) / gap();
  }

  /**
   * Call-performance threshold: the smallest strong share whose PGR reaches {@code target} (0..1),
   * or NaN when no share does.
   */
  public double cpt(double target) {
    double goal = weak + target * gap();
    if (quality[0] >= goal) return 0;
    for (int k = 1; k < share.length; k++) {
      if (quality[k] >= goal) {
        double t = (goal - quality[k - 1]) / (quality[k] - quality[k - 1]);
        return share[k - 1] + t * (share[k] - share[k - 1]);
      }
    }
    return Double.NaN;
  }

  private double gap() {
    double g = strong - weak;
    if (g <= 0) throw new IllegalStateException("the strong model is not better than the weak one on these prompts (" + strong + " vs " + weak + "): PGR is undefined");
    return g;
  }
}
