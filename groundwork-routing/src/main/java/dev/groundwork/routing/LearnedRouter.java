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
 *       gradients over the sparse rows; optionally with the prompt's embedding (from the project's own
 *       embedder, unit length, scaled by {@link Spec#embedding}) appended as dense features.
 * </ul>
 *
 * {@link #choose} picks the kind and its settings by k-fold cross-validated APGR on the training
 * outcomes only; embedding variants are candidates only when embeddings are given.
 */
public final class LearnedRouter {
  /**
   * One candidate setting.
   *
   * @param embedding the weight of the prompt's embedding among the features (0: not used)
   */
  public record Spec(String kind, double l2, boolean categories, double embedding) {
    public Spec(String kind, double l2, boolean categories) {
      this(kind, l2, categories, 0);
    }

    public String describe() {
      return kind.equals("prior") ? "prior (mean gain per category)"
          : String.format(Locale.ROOT, "linear (ridge l2=%s, words+shape%s%s)", trim(l2), categories ? "+category" : "",
              embedding > 0 ? "+embedding x" + trim(embedding) : "");
    }

    private static String trim(double d) {
      return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
  }

  /** The candidates' cross-validated APGR and the one chosen. */
  public record Choice(Spec chosen, Map<Spec, Double> cvApgr, int folds, long seed) {}

  /**
   * Prompt embeddings: unit-length vectors from one embedder, by prompt text. Routers that use them
   * record the embedder's name and need the same one when they score.
   */
  public interface Embeddings {
    String name();

    int dimension();

    /** The prompt's embedding (unit length). */
    float[] of(String prompt);

    /**
     * The embeddings of {@code prompts}, computed once by {@code embed} ({@code name}'s, {@code dim}
     * dimensions; texts to vectors) in batches of 64 and made unit length; {@code progress} is told
     * how many are done after each batch.
     */
    static Embeddings compute(String name, int dim, java.util.function.Function<List<String>, List<float[]>> embed, java.util.Collection<String> prompts,
        IntConsumer progress) {
      List<String> all = new ArrayList<>(new java.util.LinkedHashSet<>(prompts));
      Map<String, float[]> out = new HashMap<>();
      for (int i = 0; i < all.size(); i += 64) {
        List<String> batch = all.subList(i, Math.min(all.size(), i + 64));
        List<float[]> v = embed.apply(batch);
        for (int k = 0; k < batch.size(); k++) out.put(batch.get(k), dev.groundwork.core.learn.Vectors.normalize(v.get(k).clone()));
        progress.accept(Math.min(all.size(), i + 64));
      }
      return new Embeddings() {
        @Override
        public String name() {
          return name;
        }

        @Override
        public int dimension() {
          return dim;
        }

        @Override
        public float[] of(String prompt) {
          float[] e = out.get(prompt);
          if (e == null) throw new IllegalArgumentException("no embedding for a prompt that was not embedded: " + prompt);
          return e;
        }
      };
    }
  }



  /**
   * With embeddings, the linear settings also tried with them: at weight 1 against the unit-length word
   * vector, l2 10 and 30 (the middle of the grid; the dense rows make each fit slower).
   */
  static final double[] EMBEDDING_L2 = {10, 30};

  /** Shape features' weight against the unit-length word vector; chosen on GSM8K train folds. */
  static final double SHAPE_WEIGHT = 0.3;

  private final Spec spec;
  private final PromptFeatures features; // linear
  private final double[] weights; // linear
  private final Map<String, Double> prior; // prior
  private final double globalGain;
  private final String embedder; // the embedder a linear router with embeddings was trained with, else null
  private final int embeddingDimension;

  private LearnedRouter(Spec spec, PromptFeatures features, double[] weights, Map<String, Double> prior, double globalGain, String embedder,
      int embeddingDimension) {
    this.spec = spec;
    this.features = features;
    this.weights = weights;
    this.prior = prior;
    this.globalGain = globalGain;
    this.embedder = embedder;
    this.embeddingDimension = embeddingDimension;
  }

  /** The embedder this router scores with (its prompts' embeddings are features), or null when it uses none. */
  public String embedder() {
    return embedder;
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
    m.put("embedding", spec.embedding());
    if (embedder != null) {
      m.put("embedder", embedder);
      m.put("embedding_dimension", embeddingDimension);
    }
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
    Spec spec = new Spec(n.path("kind").asText(), n.path("l2").asDouble(), n.path("categories").asBoolean(), n.path("embedding").asDouble(0));
    double global = n.path("global_gain").asDouble();
    if (spec.kind().equals("prior")) {
      Map<String, Double> prior = new HashMap<>();
      n.path("prior").fields().forEachRemaining(e -> prior.put(e.getKey(), e.getValue().asDouble()));
      return new LearnedRouter(spec, null, null, prior, global, null, 0);
    }
    if (!spec.kind().equals("linear")) throw new IllegalArgumentException("router: unknown kind '" + spec.kind() + "'");
    PromptFeatures f = PromptFeatures.fromJson(n.path("features"));
    String embedder = spec.embedding() > 0 ? n.path("embedder").asText(null) : null;
    int embDim = embedder == null ? 0 : n.path("embedding_dimension").asInt();
    if (spec.embedding() > 0 && (embedder == null || embDim < 1)) throw new IllegalArgumentException("router: uses embeddings but names no embedder and dimension");
    double[] w = new double[n.path("dimension").asInt()];
    if (w.length != f.dimension() + embDim) throw new IllegalArgumentException("router: " + w.length + " weights for " + (f.dimension() + embDim) + " features");
    for (var pair : n.path("weights")) w[pair.get(0).asInt()] = pair.get(1).asDouble();
    return new LearnedRouter(spec, f, w, null, global, embedder, embDim);
  }

  /** The candidates: the prior where there are several categories, and linear models over a small grid. */
  public static List<Spec> candidates(List<Outcomes.Outcome> train) {
    return candidates(train, false);
  }

  /** As above; with {@code embeddings}, linear settings with the prompt embeddings too ({@link #EMBEDDING_L2}). */
  public static List<Spec> candidates(List<Outcomes.Outcome> train, boolean embeddings) {
    boolean severalCategories = train.stream().map(Outcomes.Outcome::category).distinct().count() > 1;
    List<Spec> out = new ArrayList<>();
    if (severalCategories) out.add(new Spec("prior", 0, true));
    for (double l2 : new double[] {3, 10, 30, 100}) {
      out.add(new Spec("linear", l2, false));
      if (severalCategories) out.add(new Spec("linear", l2, true));
    }
    if (embeddings) {
      for (double l2 : EMBEDDING_L2) {
        out.add(new Spec("linear", l2, false, 1));
        if (severalCategories) out.add(new Spec("linear", l2, true, 1));
      }
    }
    return out;
  }

  /** Trains one kind on outcomes of the pair (weak, strong). */
  public static LearnedRouter train(Spec spec, List<Outcomes.Outcome> train, String weak, String strong) {
    return train(spec, train, weak, strong, null);
  }

  /** As above; {@code embeddings} (null: none) gives the prompts' embeddings to a spec that uses them. */
  public static LearnedRouter train(Spec spec, List<Outcomes.Outcome> train, String weak, String strong, Embeddings embeddings) {
    if (spec.embedding() > 0 && embeddings == null) throw new IllegalArgumentException("router " + spec.describe() + " needs the prompts' embeddings");
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
      return new LearnedRouter(spec, null, null, prior, global, null, 0);
    }
    PromptFeatures f = PromptFeatures.fit(train.stream().map(Outcomes.Outcome::prompt).toList(),
        spec.categories() ? train.stream().map(Outcomes.Outcome::category).toList() : null, SHAPE_WEIGHT);
    int embDim = spec.embedding() > 0 ? embeddings.dimension() : 0;
    PromptFeatures.Row[] rows = new PromptFeatures.Row[train.size()];
    for (int i = 0; i < rows.length; i++) {
      Outcomes.Outcome o = train.get(i);
      rows[i] = withEmbedding(f, f.row(o.prompt(), o.category()), embDim == 0 ? null : embeddings.of(o.prompt()), spec.embedding());
    }
    double[] w = ridge(rows, gain, f.dimension() + embDim, spec.l2(), 200);
    return new LearnedRouter(spec, f, w, null, global, embDim == 0 ? null : embeddings.name(), embDim);
  }

  /** {@code row} with {@code embedding × weight} appended after the prompt features (null: as it is). */
  private static PromptFeatures.Row withEmbedding(PromptFeatures f, PromptFeatures.Row row, float[] embedding, double weight) {
    if (embedding == null) return row;
    int n = row.index().length;
    int[] idx = java.util.Arrays.copyOf(row.index(), n + embedding.length);
    float[] val = java.util.Arrays.copyOf(row.value(), n + embedding.length);
    for (int j = 0; j < embedding.length; j++) {
      idx[n + j] = f.dimension() + j;
      val[n + j] = (float) (weight * embedding[j]);
    }
    return new PromptFeatures.Row(idx, val);
  }

  /** The router's score for a prompt: the expected gain of the strong model. */
  public double score(String prompt, String category) {
    if (embedder != null) throw new IllegalStateException("this router scores with " + embedder + " embeddings: give the prompt's embedding");
    return score(prompt, category, null);
  }

  /**
   * As above, for a router that uses embeddings: {@code embedding} is the prompt's, from {@link #embedder()}
   * (ignored by routers that use none).
   */
  public double score(String prompt, String category, float[] embedding) {
    if (prior != null) return prior.getOrDefault(category, globalGain);
    if (embedder != null && (embedding == null || embedding.length != embeddingDimension)) {
      throw new IllegalArgumentException("this router needs the prompt's " + embeddingDimension + "-dimensional " + embedder + " embedding");
    }
    PromptFeatures.Row r = withEmbedding(features, features.row(prompt, category), embedder == null ? null : embedding, spec.embedding());
    double s = 0;
    for (int k = 0; k < r.index().length; k++) s += weights[r.index()[k]] * r.value()[k];
    return s;
  }

  public double[] scores(List<Outcomes.Outcome> outcomes) {
    return scores(outcomes, null);
  }

  /** Scores each outcome's prompt, with its embedding from {@code embeddings} when this router uses them. */
  public double[] scores(List<Outcomes.Outcome> outcomes, Embeddings embeddings) {
    if (embedder != null && (embeddings == null || !embeddings.name().equals(embedder))) {
      throw new IllegalArgumentException("this router was trained with " + embedder + " embeddings" + (embeddings == null ? "" : ", not " + embeddings.name()));
    }
    double[] s = new double[outcomes.size()];
    for (int i = 0; i < s.length; i++) {
      Outcomes.Outcome o = outcomes.get(i);
      s[i] = score(o.prompt(), o.category(), embedder == null ? null : embeddings.of(o.prompt()));
    }
    return s;
  }

  /**
   * Chooses the candidate with the best mean APGR over {@code folds} folds of the training outcomes
   * (shuffled with {@code seed}); ties keep the earlier, simpler candidate.
   */
  public static Choice choose(List<Outcomes.Outcome> train, String weak, String strong, int folds, long seed, IntConsumer progress) {
    return choose(train, weak, strong, folds, seed, progress, null);
  }

  /** As above; with {@code embeddings} (null: none), the linear settings are also tried with the prompts' embeddings. */
  public static Choice choose(List<Outcomes.Outcome> train, String weak, String strong, int folds, long seed, IntConsumer progress, Embeddings embeddings) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < train.size(); i++) idx.add(i);
    java.util.Collections.shuffle(idx, new Random(seed));
    List<Spec> candidates = candidates(train, embeddings != null);
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
        double apgr = RoutingCurve.of(train(c, fit, weak, strong, embeddings).scores(held, embeddings), w, s).apgr();
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
