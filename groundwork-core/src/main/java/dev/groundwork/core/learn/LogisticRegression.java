package dev.groundwork.core.learn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Binary logistic regression on standardised features, fitted by full-batch gradient descent with an
 * L2 penalty: deterministic (no sampling), so the same data always gives the same model. Small
 * enough for a few thousand rows of a few dozen features, which is what the answerability check and
 * routers are trained on.
 */
public final class LogisticRegression {
  private LogisticRegression() {}

  /**
   * A fitted model: features are standardised with {@code means} and {@code sds}, then weighted.
   *
   * @param names one per feature, in order; a model only applies to features computed the same way
   */
  public record Model(List<String> names, double[] means, double[] sds, double[] weights, double bias) {
    public Model {
      names = List.copyOf(names);
      int n = names.size();
      if (means.length != n || sds.length != n || weights.length != n)
        throw new IllegalArgumentException("a model needs one mean, sd and weight per feature (" + n + " features)");
    }

    /** P(label = 1) for one row of features. */
    public double probability(double[] x) {
      if (x.length != weights.length) throw new IllegalArgumentException("expected " + weights.length + " features, got " + x.length);
      double z = bias;
      for (int i = 0; i < x.length; i++) z += weights[i] * (x[i] - means[i]) / sds[i];
      return 1 / (1 + Math.exp(-z));
    }

    /** Each feature's contribution to the log-odds for {@code x} (negative: speaks for label 0). */
    public double[] contributions(double[] x) {
      double[] c = new double[x.length];
      for (int i = 0; i < x.length; i++) c[i] = weights[i] * (x[i] - means[i]) / sds[i];
      return c;
    }

    /** A text form: one {@code name mean sd weight} line per feature and a {@code bias} line; {@code #} lines are comments. */
    public String write(String comment) {
      StringBuilder sb = new StringBuilder();
      for (String line : comment.split("\n")) sb.append("# ").append(line).append('\n');
      for (int i = 0; i < names.size(); i++) {
        sb.append(String.format(Locale.ROOT, "%s %.6f %.6f %.6f%n", names.get(i), means[i], sds[i], weights[i]));
      }
      sb.append(String.format(Locale.ROOT, "bias %.6f%n", bias));
      return sb.toString();
    }

    /** Reads {@link #write}'s form. Errors name {@code origin} and the line. */
    public static Model parse(String text, String origin) {
      List<String> names = new ArrayList<>();
      List<double[]> rows = new ArrayList<>();
      Double bias = null;
      int lineNo = 0;
      for (String raw : text.split("\n")) {
        lineNo++;
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#")) continue;
        String[] f = line.split("\\s+");
        try {
          if (f[0].equals("bias") && f.length == 2) {
            bias = Double.parseDouble(f[1]);
          } else if (f.length == 4) {
            names.add(f[0]);
            double sd = Double.parseDouble(f[2]);
            if (!(sd > 0)) throw new NumberFormatException("sd must be > 0");
            rows.add(new double[] {Double.parseDouble(f[1]), sd, Double.parseDouble(f[3])});
          } else {
            throw new NumberFormatException("expected 'name mean sd weight' or 'bias value'");
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(origin + ":" + lineNo + ": " + e.getMessage() + ": " + line);
        }
      }
      if (bias == null) throw new IllegalArgumentException(origin + ": no 'bias' line; is this a model file?");
      double[] m = new double[rows.size()], s = new double[rows.size()], w = new double[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        m[i] = rows.get(i)[0];
        s[i] = rows.get(i)[1];
        w[i] = rows.get(i)[2];
      }
      return new Model(names, m, s, w, bias);
    }
  }

  /**
   * Fits {@code P(y=1 | x)}.
   *
   * @param l2 penalty on the standardised weights (not on the bias)
   * @param iterations full-batch gradient steps
   */
  public static Model fit(List<String> names, List<double[]> x, List<Boolean> y, double l2, int iterations) {
    int n = x.size(), d = names.size();
    if (n == 0 || n != y.size()) throw new IllegalArgumentException("need as many labels as rows, and at least one row");
    long pos = y.stream().filter(b -> b).count();
    if (pos == 0 || pos == n) throw new IllegalArgumentException("both labels must occur in the training rows");
    double[] mean = new double[d], sd = new double[d];
    for (double[] r : x) {
      if (r.length != d) throw new IllegalArgumentException("every row needs " + d + " features");
      for (int j = 0; j < d; j++) mean[j] += r[j] / n;
    }
    for (double[] r : x) for (int j = 0; j < d; j++) sd[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / n;
    for (int j = 0; j < d; j++) sd[j] = sd[j] > 1e-12 ? Math.sqrt(sd[j]) : 1;
    double[][] z = new double[n][d];
    for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) z[i][j] = (x.get(i)[j] - mean[j]) / sd[j];
    double[] w = new double[d];
    double b = 0, rate = 0.5;
    double[] g = new double[d];
    for (int it = 0; it < iterations; it++) {
      java.util.Arrays.fill(g, 0);
      double gb = 0;
      for (int i = 0; i < n; i++) {
        double s = b;
        for (int j = 0; j < d; j++) s += w[j] * z[i][j];
        double err = 1 / (1 + Math.exp(-s)) - (y.get(i) ? 1 : 0);
        for (int j = 0; j < d; j++) g[j] += err * z[i][j];
        gb += err;
      }
      for (int j = 0; j < d; j++) w[j] -= rate * (g[j] / n + l2 * w[j]);
      b -= rate * gb / n;
    }
    return new Model(names, mean, sd, w, b);
  }
}
