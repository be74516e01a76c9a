package dev.groundwork.bench;

import dev.groundwork.routing.LearnedRouter;
import dev.groundwork.routing.Outcomes;
import dev.groundwork.routing.RoutingCurve;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * {@code bench router}: learns a router on training outcomes and reports it once on test outcomes,
 * beside a random router and the oracle measured on the same prompts. Every choice (the router's
 * kind and settings) is made by cross-validation on the training outcomes; the test outcomes are
 * only scored.
 */
public final class RouterBenchmark {
  /** Folds of the training outcomes the router's settings are chosen on, and their shuffle seed. */
  public static final int FOLDS = 5;

  public static final long CV_SEED = 13;

  /** One point of the quality/strong-share curve. */
  public record Point(double strongShare, double quality, double pgr, double oracleQuality, double randomQuality) {}

  /**
   * @param scoreP50Us the router's time to score one test prompt (features and dot product), median, microseconds
   * @param scoreP99Us the same at the 99th percentile
   * @param baselineP50Us the baseline measured in the same passes: lower-casing the prompt and splitting it into words
   * @param baselineP99Us the baseline at the 99th percentile
   */
  public record Result(String weak, String strong, int nTrain, int nTest, LearnedRouter.Choice choice, double apgr, double cpt50, double cpt80,
      double randomApgr, double oracleApgr, double oracleCpt50, double oracleCpt80, double weakQuality, double strongQuality, List<Point> curve,
      double scoreP50Us, double scoreP99Us, double baselineP50Us, double baselineP99Us, Costs costs, double seconds) {}

  /** A model, or a point of the router's curve, with its mean cost per query and quality on the test prompts. */
  public record CostPoint(String name, double costUsd, double quality) {}

  /**
   * With costs for every model on every test prompt: each model alone, the cost/quality frontier
   * (the models alone and the router's points that nothing beats on both), and the cheapest way to
   * reach 95% of the best single model's quality.
   *
   * @param costAt95 the lowest cost per query on the frontier reaching 95% of the best single model's quality
   */
  public record Costs(List<CostPoint> models, List<CostPoint> frontier, double bestSingleQuality, CostPoint costAt95) {}

  private RouterBenchmark() {}

  /** Splits one set: {@code testShare} of the prompts, shuffled with {@code seed}, are the test split. */
  /** The outcomes a run measures: train and test, the models both score, and how many prompts an exclude list dropped. */
  public record Data(List<Outcomes.Outcome> train, List<Outcomes.Outcome> test, List<String> models, int excluded) {}

  /** One outcomes file or folder, split into train and test by {@code testShare} with {@code seed}; prompts in {@code exclude} (if any) dropped first. */
  public static Data load(Path data, double testShare, long seed, Path exclude) {
    java.util.Set<String> dropped = exclude == null ? java.util.Set.of() : Outcomes.promptsIn(exclude);
    Outcomes all = Outcomes.read(List.of(data));
    Outcomes kept = all.without(dropped);
    var parts = split(kept, testShare, seed);
    return new Data(parts.get(0), parts.get(1), kept.models(), all.outcomes().size() - kept.outcomes().size());
  }

  /** Train and test outcomes from separate files; the models are those both score. */
  public static Data load(List<Path> train, Path test, Path exclude) {
    java.util.Set<String> dropped = exclude == null ? java.util.Set.of() : Outcomes.promptsIn(exclude);
    Outcomes tr = Outcomes.read(train), te = Outcomes.read(List.of(test));
    Outcomes trKept = tr.without(dropped), teKept = te.without(dropped);
    List<String> models = new java.util.ArrayList<>(trKept.models());
    models.retainAll(teKept.models());
    if (models.size() < 2) throw new IllegalArgumentException("train and test share fewer than two models: " + trKept.models() + " vs " + teKept.models());
    int excluded = tr.outcomes().size() - trKept.outcomes().size() + te.outcomes().size() - teKept.outcomes().size();
    return new Data(trKept.outcomes(), teKept.outcomes(), models, excluded);
  }

  /** The weak and strong model of a run over {@code d} (given, or chosen from its train outcomes). */
  public static String[] pair(Data d, String weak, String strong) {
    return pair(new Outcomes(d.train(), d.models()), weak, strong);
  }

  /** How many fits choosing a router on {@code train} takes ({@value #FOLDS} folds per candidate), for a progress bar. */
  public static int fits(List<Outcomes.Outcome> train) {
    return fits(train, false);
  }

  public static int fits(List<Outcomes.Outcome> train, boolean embeddings) {
    return FOLDS * LearnedRouter.candidates(train, embeddings).size();
  }

  public static List<List<Outcomes.Outcome>> split(Outcomes data, double testShare, long seed) {
    if (!(testShare > 0 && testShare < 1)) throw new IllegalArgumentException("--test-share must be between 0 and 1 (exclusive), got " + testShare);
    List<Outcomes.Outcome> shuffled = new ArrayList<>(data.outcomes());
    Collections.shuffle(shuffled, new Random(seed));
    int nTest = (int) Math.round(shuffled.size() * testShare);
    if (nTest == 0 || nTest == shuffled.size()) throw new IllegalArgumentException("--test-share " + testShare + " leaves an empty split of " + shuffled.size() + " prompts");
    return List.of(shuffled.subList(nTest, shuffled.size()), shuffled.subList(0, nTest));
  }

  /** The weak and the strong model: as named, or else the lowest and highest mean score on the training outcomes. */
  public static String[] pair(Outcomes train, String weak, String strong) {
    for (String m : new String[] {weak, strong}) {
      if (m != null && !train.models().contains(m)) throw new IllegalArgumentException("no model \"" + m + "\" in the outcomes; they hold " + train.models());
    }
    List<String> byMean = new ArrayList<>(train.models());
    byMean.sort(Comparator.comparingDouble(train::mean));
    String w = weak != null ? weak : byMean.get(0);
    String s = strong != null ? strong : byMean.get(byMean.size() - 1);
    if (w.equals(s)) throw new IllegalArgumentException("--weak and --strong must differ (both " + w + ")");
    return new String[] {w, s};
  }

  public static Result run(List<Outcomes.Outcome> train, List<Outcomes.Outcome> test, String weak, String strong, IntConsumer progress) {
    return run(train, test, weak, strong, progress, null);
  }

  /** As above; with {@code embeddings} (null: none), the router may also use the prompts' embeddings, if cross-validation prefers it. */
  public static Result run(List<Outcomes.Outcome> train, List<Outcomes.Outcome> test, String weak, String strong, IntConsumer progress,
      LearnedRouter.Embeddings embeddings) {
    long t0 = System.nanoTime();
    LearnedRouter.Choice choice = LearnedRouter.choose(train, weak, strong, FOLDS, CV_SEED, progress, embeddings);
    LearnedRouter router = LearnedRouter.train(choice.chosen(), train, weak, strong, embeddings);
    double[] w = LearnedRouter.quality(test, weak), s = LearnedRouter.quality(test, strong);
    if (!RoutingCurve.routable(w, s)) {
      throw new IllegalArgumentException("on the test prompts the strong model (" + strong + ") is no better than the weak one (" + weak
          + "): APGR is undefined; check --weak and --strong");
    }
    double[] scores = router.scores(test, embeddings);
    RoutingCurve curve = RoutingCurve.of(scores, w, s);
    RoutingCurve oracle = RoutingCurve.oracle(w, s);
    double random = RoutingCurve.randomApgr(w, s, 20, 1);
    List<Point> points = new ArrayList<>();
    for (int i = 0; i <= 20; i++) {
      double share = i / 20.0;
      points.add(new Point(share, curve.quality(share), curve.pgr(share), oracle.quality(share),
          curve.weakQuality() + share * (curve.strongQuality() - curve.weakQuality())));
    }
    double[] latency = scoringLatency(router, test, embeddings);
    Costs costs = costs(test, scores, weak, strong, curve);
    return new Result(weak, strong, train.size(), test.size(), choice, curve.apgr(), curve.cpt(0.5), curve.cpt(0.8), random, oracle.apgr(),
        oracle.cpt(0.5), oracle.cpt(0.8), curve.weakQuality(), curve.strongQuality(), points, latency[0], latency[1], latency[2], latency[3], costs,
        (System.nanoTime() - t0) / 1e9);
  }

  /**
   * What routing adds per query beyond the embedding (which retrieval computes anyway): the time to
   * score a test prompt, measured over five passes of the test prompts after at least 20,000 warm-up
   * scorings (the JIT compiles the path first), beside a baseline timed in the same passes (lower-case
   * the prompt and split it into words, the least any text feature costs); {score p50, score p99,
   * baseline p50, baseline p99} in microseconds.
   */
  static double[] scoringLatency(LearnedRouter router, List<Outcomes.Outcome> test, LearnedRouter.Embeddings embeddings) {
    int n = test.size(), warmPasses = Math.max(2, 20_000 / Math.max(1, n)), passes = 5;
    double[] us = new double[n * passes], base = new double[n * passes];
    double sink = 0;
    for (int pass = 0; pass < warmPasses + passes; pass++) {
      for (int i = 0; i < n; i++) {
        String prompt = test.get(i).prompt();
        long t = System.nanoTime();
        sink += prompt.toLowerCase(java.util.Locale.ROOT).split("\\W+").length;
        long t1 = System.nanoTime();
        float[] e = router.embedder() == null ? null : embeddings.of(prompt);
        long t1b = System.nanoTime();
        sink += router.score(prompt, test.get(i).category(), e);
        long t2 = System.nanoTime();
        if (pass >= warmPasses) {
          base[(pass - warmPasses) * n + i] = (t1 - t) / 1e3;
          us[(pass - warmPasses) * n + i] = (t2 - t1b) / 1e3;
        }
      }
    }
    if (Double.isNaN(sink)) throw new IllegalStateException("router scores are NaN");
    java.util.Arrays.sort(us);
    java.util.Arrays.sort(base);
    return new double[] {us[us.length / 2], us[p99(us.length)], base[base.length / 2], base[p99(base.length)]};
  }

  /**
   * {@link #run} with the prompts' embeddings on offer: every train and test prompt is embedded first
   * by {@code embed} ({@code name}'s, {@code dim} dimensions, called in batches; {@code embedded} told
   * how many are done), then the router is chosen and scored.
   */
  public static Result runEmbedded(List<Outcomes.Outcome> train, List<Outcomes.Outcome> test, String weak, String strong, String name, int dim,
      java.util.function.Function<List<String>, List<float[]>> embed, IntConsumer embedded, IntConsumer progress) {
    java.util.Set<String> prompts = new java.util.LinkedHashSet<>();
    for (Outcomes.Outcome o : train) prompts.add(o.prompt());
    for (Outcomes.Outcome o : test) prompts.add(o.prompt());
    LearnedRouter.Embeddings e = LearnedRouter.Embeddings.compute(name, dim, embed, prompts, embedded);
    return run(train, test, weak, strong, progress, e);
  }

  /** The cost report, or null when some test prompt lacks a cost for some model. */
  static Costs costs(List<Outcomes.Outcome> test, double[] scores, String weak, String strong, RoutingCurve curve) {
    java.util.Set<String> models = new java.util.LinkedHashSet<>(test.get(0).scores().keySet());
    for (Outcomes.Outcome o : test) models.retainAll(o.scores().keySet());
    if (!new Outcomes(test, List.copyOf(models)).hasCosts()) return null;
    int n = test.size();
    List<CostPoint> single = new ArrayList<>();
    for (String m : models) {
      double c = 0, q = 0;
      for (Outcomes.Outcome o : test) {
        c += o.costs().get(m);
        q += o.score(m);
      }
      single.add(new CostPoint(m, c / n, q / n));
    }
    // the router's points: the top share by score goes to the strong model, the rest to the weak one
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    java.util.Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -scores[i]));
    List<CostPoint> all = new ArrayList<>(single);
    for (int step = 1; step < 20; step++) {
      double share = step / 20.0;
      int k = (int) Math.round(share * n);
      double c = 0;
      for (int r = 0; r < n; r++) c += test.get(order[r]).costs().get(r < k ? strong : weak);
      all.add(new CostPoint(String.format(java.util.Locale.ROOT, "router %.0f%% to %s", 100 * share, strong), c / n, curve.quality(share)));
    }
    all.sort(Comparator.comparingDouble(CostPoint::costUsd).thenComparing(Comparator.comparingDouble(CostPoint::quality).reversed()));
    List<CostPoint> frontier = new ArrayList<>();
    double best = Double.NEGATIVE_INFINITY;
    for (CostPoint p : all) {
      if (p.quality() > best + 1e-12) {
        frontier.add(p);
        best = p.quality();
      }
    }
    double bestSingle = single.stream().mapToDouble(CostPoint::quality).max().orElse(0);
    CostPoint at95 = frontier.stream().filter(p -> p.quality() >= 0.95 * bestSingle - 1e-12).findFirst().orElse(null);
    return new Costs(single, frontier, bestSingle, at95);
  }

  private static int p99(int n) {
    return Math.max(0, Math.min(n - 1, (int) Math.ceil(0.99 * n) - 1));
  }

}
