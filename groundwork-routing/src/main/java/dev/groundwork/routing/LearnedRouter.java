package dev.groundwork.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * A router learned from outcomes: it scores a prompt by the expected gain of sending it to the
 * strong model rather than the weak one (strong quality − weak quality), so a higher score means
 * "strong sooner". Two kinds, both trained in Java on the CPU in seconds:
 *
 * <ul>
 *   <li>{@code prior}: the mean gain of the prompt's category in training (a per-subject prior);
 *   <li>{@code linear}: ridge regression of the gain on {@link PromptFeatures}, solved by conjugate
 *       gradients over the sparse rows.
 * </ul>
 *
 * {@link #choose} picks the kind and its settings by k-fold cross-validated APGR on the training
 * outcomes only.
 */
public final class LearnedRouter {
  /** One candidate setting. */
  public record Spec(String kind, double l2, boolean categories) {
    public String describe() {
      return kind.equals("prior") ? "prior (mean gain per category)"
          : String.format(Locale.ROOT, "linear (ridge l2=%s, words+shape%s)", trim(l2), categories ? "+category" : "");
    }

    private static String trim(double d) {
      return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
  }

  /** The candidates' cross-validated APGR and the one chosen. */
  public record Choice(Spec chosen, Map<Spec, Double> cvApgr, int folds, long seed) {}

  /** Shape features' weight against the unit-length word vector; chosen on GSM8K train folds. */
  static final double SHAPE_WEIGHT = 0.3;

  private final Spec spec;
  private final PromptFeatures features; // linear
  private final double[] weights; // linear
  private final Map<String, Double> prior; // prior
  private final double globalGain;

  private LearnedRouter(Spec spec, PromptFeatures features, double[] weights, Map<String, Double> prior, double globalGain) {
    this.spec = spec;
    this.features = features;
    this.weights = weights;
    this.prior = prior;
    this.globalGain = globalGain;
  }

  public Spec spec() {
    return spec;
  }

  /** The router as a JSON-ready map; {@link #fromJson} reads it back. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", spec.kind());
    m.put("l2", spec.l2());
    m.put("categories", spec.categories());
    m.put("global_gain", globalGain);
    if (prior != null) m.put("prior", new java.util.TreeMap<>(prior));
    if (features != null) {
      m.put("features", features.toJson());
      List<double[]> w = new ArrayList<>();
      for (int k = 0; k < weights.length; k++) if (weights[k] != 0) w.add(new double[] {k, weights[k]});
      m.put("dimension", weights.length);
      m.put("weights", w);
    }
    return m;
  }

  public static LearnedRouter fromJson(com.fasterxml.jackson.databind.JsonNode n) {
    Spec spec = new Spec(n.path("kind").asText(), n.path("l2").asDouble(), n.path("categories").asBoolean());
    double global = n.path("global_gain").asDouble();
    if (spec.kind().equals("prior")) {
      Map<String, Double> prior = new HashMap<>();
      n.path("prior").fields().forEachRemaining(e -> prior.put(e.getKey(), e.getValue().asDouble()));
      return new LearnedRouter(spec, null, null, prior, global);
    }
    if (!spec.kind().equals("linear")) throw new IllegalArgumentException("router: unknown kind '" + spec.kind() + "'");
    PromptFeatures f = PromptFeatures.fromJson(n.path("features"));
    double[] w = new double[n.path("dimension").asInt()];
    if (w.length != f.dimension()) throw new IllegalArgumentException("router: " + w.length + " weights for " + f.dimension() + " features");
    for (var pair : n.path("weights")) w[pair.get(0).asInt()] = pair.get(1).asDouble();
    return new LearnedRouter(spec, f, w, null, global);
  }

  /** The candidates: the prior where there are several categories, and linear models over a small grid. */
  public static List<Spec> candidates(List<Outcomes.Outcome> train) {
    boolean severalCategories = train.stream().map(Outcomes.Outcome::category).distinct().count() > 1;
    List<Spec> out = new ArrayList<>();
    if (severalCategories) out.add(new Spec("prior", 0, true));
    for (double l2 : new double[] {3, 10, 30, 100}) {
      out.add(new Spec("linear", l2, false));
      if (severalCategories) out.add(new Spec("linear", l2, true));
    }
    return out;
  }

  /** Trains one kind on outcomes of the pair (weak, strong). */
  public static LearnedRouter train(Spec spec, List<Outcomes.Outcome> train, String weak, String strong) {
    double[] gain = new double[train.size()];
    double sum = 0;
    for (int i = 0; i < gain.length; i++) {
      gain[i] = train.get(i).score(strong) - train.get(i).score(weak);
      sum += gain[i];
    }
    double global = sum / Math.max(1, gain.length);
    if (spec.kind().equals("prior")) {
      Map<String, double[]> acc = new HashMap<>();
      for (int i = 0; i < gain.length; i++) {
        double[] a = acc.computeIfAbsent(train.get(i).category(), k -> new double[2]);
        a[0] += gain[i];
        a[1]++;
      }
      Map<String, Double> prior = new HashMap<>();
      acc.forEach((k, a) -> prior.put(k, a[0] / a[1]));
      return new LearnedRouter(spec, null, null, prior, global);
    }
    PromptFeatures f = PromptFeatures.fit(train.stream().map(Outcomes.Outcome::prompt).toList(),
        spec.categories() ? train.stream().map(Outcomes.Outcome::category).toList() : null, SHAPE_WEIGHT);
    PromptFeatures.Row[] rows = new PromptFeatures.Row[train.size()];
    for (int i = 0; i < rows.length; i++) rows[i] = f.row(train.get(i).prompt(), train.get(i).category());
    double[] w = ridge(rows, gain, f.dimension(), spec.l2(), 200);
    return new LearnedRouter(spec, f, w, null, global);
  }

  /** The router's score for a prompt: the expected gain of the strong model. */
  public double score(String prompt, String category) {
    if (prior != null) return prior.getOrDefault(category, globalGain);
    PromptFeatures.Row r = features.row(prompt, category);
    double s = 0;
    for (int k = 0; k < r.index().length; k++) s += weights[r.index()[k]] * r.value()[k];
    return s;
  }

  public double[] scores(List<Outcomes.Outcome> outcomes) {
    double[] s = new double[outcomes.size()];
    for (int i = 0; i < s.length; i++) s[i] = score(outcomes.get(i).prompt(), outcomes.get(i).category());
    return s;
  }

  /**
   * Chooses the candidate with the best mean APGR over {@code folds} folds of the training outcomes
   * (shuffled with {@code seed}); ties keep the earlier, simpler candidate.
   */
  public static Choice choose(List<Outcomes.Outcome> train, String weak, String strong, int folds, long seed, IntConsumer progress) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < train.size(); i++) idx.add(i);
    java.util.Collections.shuffle(idx, new Random(seed));
    List<Spec> candidates = candidates(train);
    Map<Spec, Double> cv = new LinkedHashMap<>();
    for (Spec c : candidates) cv.put(c, 0.0);
    int done = 0, usedFolds = folds;
    for (int fold = 0; fold < folds; fold++) {
      List<Outcomes.Outcome> fit = new ArrayList<>(), held = new ArrayList<>();
      for (int k = 0; k < idx.size(); k++) (k % folds == fold ? held : fit).add(train.get(idx.get(k)));
      double[] w = quality(held, weak), s = quality(held, strong);
      if (!RoutingCurve.routable(w, s)) {
        // PGR is undefined on a fold where the strong model is no better (small sets): it counts for no candidate
        usedFolds--;
        done += candidates.size();
        progress.accept(done);
        continue;
      }
      for (Spec c : candidates) {
        double apgr = RoutingCurve.of(train(c, fit, weak, strong).scores(held), w, s).apgr();
        cv.merge(c, apgr, Double::sum);
        progress.accept(++done);
      }
    }
    if (usedFolds == 0) {
      throw new IllegalArgumentException("the strong model (" + strong + ") is no better than the weak one (" + weak
          + ") on any fold of the training prompts: there is nothing to route");
    }
    for (Spec c : candidates) cv.put(c, cv.get(c) / usedFolds);
    Spec best = candidates.get(0);
    for (Spec c : candidates) if (cv.get(c) > cv.get(best) + 1e-12) best = c;
    return new Choice(best, cv, folds, seed);
  }

  /** Each outcome's quality for one model. */
  public static double[] quality(List<Outcomes.Outcome> outcomes, String model) {
    double[] q = new double[outcomes.size()];
    for (int i = 0; i < q.length; i++) q[i] = outcomes.get(i).score(model);
    return q;
  }

  /** Solves (XᵀX + l2·I) w = Xᵀy by conjugate gradients; X is given by sparse rows. */
  static double[] ridge(PromptFeatures.Row[] x, double[] y, int dim, double l2, int maxIterations) {
    double[] w = new double[dim];
    double[] r = new double[dim];
    for (int i = 0; i < x.length; i++) addScaled(r, x[i], y[i]);
    double[] p = r.clone();
    double rr = dot(r, r);
    double stop = rr * 1e-10;
    double[] ap = new double[dim];
    for (int it = 0; it < maxIterations && rr > stop; it++) {
      java.util.Arrays.fill(ap, 0);
      for (PromptFeatures.Row row : x) addScaled(ap, row, rowDot(row, p));
      for (int k = 0; k < dim; k++) ap[k] += l2 * p[k];
      double alpha = rr / dot(p, ap);
      for (int k = 0; k < dim; k++) {
        w[k] += alpha * p[k];
        r[k] -= alpha * ap[k];
      }
      double next = dot(r, r);
      double beta = next / rr;
      for (int k = 0; k < dim; k++) p[k] = r[k] + beta * p[k];
      rr = next;
    }
    return w;
  }

  private static void addScaled(double[] into, PromptFeatures.Row row, double c) {
    for (int k = 0; k < row.index().length; k++) into[row.index()[k]] += c * row.value()[k];
  }

  private static double rowDot(PromptFeatures.Row row, double[] v) {
    double s = 0;
    for (int k = 0; k < row.index().length; k++) s += v[row.index()[k]] * row.value()[k];
    return s;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) s += a[k] * b[k];
    return s;
  }
}
