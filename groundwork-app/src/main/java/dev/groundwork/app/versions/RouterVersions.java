package dev.groundwork.app.versions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.app.BadInputException;
import dev.groundwork.app.ConfigException;
import dev.groundwork.app.ModelsConfig;
import dev.groundwork.app.ProjectConfig;
import dev.groundwork.eval.CaseResult;
import dev.groundwork.eval.EvalRun;
import dev.groundwork.routing.CascadeAnswerer;
import dev.groundwork.routing.LearnedRouter;
import dev.groundwork.routing.Outcomes;
import dev.groundwork.routing.RoutingCurve;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * Routers as versions of kind {@code router}: trained on a route's own outcomes (its suite run with
 * its cheap and its strong model, or outcome files), gated on held-out outcomes, and read by a route
 * whose policy is {@code learned}. The registry keeps one promoted router per project; the router
 * names the route it was trained for.
 *
 * <p>Training holds out {@code heldoutShare} of the prompts (seeded); the router's kind and penalty
 * are chosen by cross-validation on the rest, and its threshold is the score above which
 * {@code strongShare} of the training prompts would go straight to the strong model. The held-out
 * prompts travel in the version: the gate scores the candidate, and the router promoted now, on
 * them.
 */
public final class RouterVersions {
  public static final String ARTIFACT = "router.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Bootstrap resamples of the gate's paired test, and the p-value it must beat. */
  static final int RESAMPLES = 1000;

  static final double ALPHA = 0.05;

  private final VersionRegistry registry;
  /** The project's embedder, loaded only for a router that uses embeddings. */
  private final java.util.function.Supplier<dev.groundwork.core.spi.Embedder> embedder;

  RouterVersions(VersionRegistry registry, java.util.function.Supplier<dev.groundwork.core.spi.Embedder> embedder) {
    this.embedder = embedder;
    this.registry = registry;
  }

  /** What training measured, with the stored version. */
  public record Trained(Version version, LearnedRouter.Choice choice, double heldoutApgr, double randomApgr, double oracleApgr, double threshold,
      int nTrain, int nHeldout) {}

  /**
   * Outcomes from two runs of the same suite: one with the route's cheap model, one with its strong
   * model, joined by case id (a case scores 1 when it passed, else its score).
   */
  public static List<Outcomes.Outcome> fromRuns(EvalRun weak, EvalRun strong) {
    String wm = String.valueOf(weak.fingerprint().get("answerer")), sm = String.valueOf(strong.fingerprint().get("answerer"));
    if (!weak.suite().equals(strong.suite())) {
      throw new BadInputException("runs " + weak.id() + " and " + strong.id() + " are of different suites (" + weak.suite() + ", " + strong.suite() + ")");
    }
    if (wm.equals(sm)) throw new BadInputException("runs " + weak.id() + " and " + strong.id() + " both answered with " + wm + ": run the suite with each model");
    Map<String, CaseResult> byId = new LinkedHashMap<>();
    for (CaseResult c : strong.cases()) byId.put(c.id(), c);
    List<Outcomes.Outcome> out = new ArrayList<>();
    for (CaseResult w : weak.cases()) {
      CaseResult s = byId.get(w.id());
      if (s == null || w.error() != null || s.error() != null) continue;
      // one category: a question asked in production has no tags, so the router must not lean on them
      out.add(new Outcomes.Outcome(w.id(), w.question(), weak.suite(), Map.of(wm, quality(w), sm, quality(s)), Map.of()));
    }
    return out;
  }

  /**
   * Outcomes from the query log: the questions {@code route} answered in production, labelled by what
   * happened to them. The cheap model's score is 1 when its answer was kept and rated up, 0 when its
   * answer was rated down or failed one of the route's checks (an escalation). The strong model's
   * score is 1 unless its own answer was rated down; where it never answered (the cheap answer was
   * kept) it is assumed to do at least as well. Questions without a label are left out: a kept
   * cheap answer with no feedback, a question the router sent straight to the strong model (the cheap
   * one was never tried), and one whose cheap model failed with an error rather than a check.
   */
  public static List<Outcomes.Outcome> fromLog(dev.groundwork.core.log.QueryLog log, ModelsConfig.Route route) {
    String weak = route.models().get(0), strong = route.models().get(route.models().size() - 1);
    List<Outcomes.Outcome> out = new ArrayList<>();
    for (dev.groundwork.core.log.QueryLog.Logged l : log.listAll(null, null, null, null, null)) {
      Map<String, Double> scores = logScores(l, route.name(), weak, strong);
      if (scores != null) out.add(new Outcomes.Outcome(l.entry().id(), l.entry().question(), "log", scores, Map.of()));
    }
    return out;
  }

  /** The weak and strong scores one logged answer of the route gives, or null when it gives none. */
  private static Map<String, Double> logScores(dev.groundwork.core.log.QueryLog.Logged l, String routeName, String weak, String strong) {
    var e = l.entry();
    if (e.route() == null || e.error() != null) return null;
    JsonNode r;
    try {
      r = JSON.readTree(e.route());
    } catch (IOException ex) {
      return null;
    }
    JsonNode attempts = r.path("attempts");
    if (!routeName.equals(r.path("route").asText()) || attempts.size() < 1) return null;
    JsonNode first = attempts.get(0);
    if (!weak.equals(first.path("model").asText())) return null; // a route fallback: the first attempt is the failed model
    String reason = first.path("reason").asText("");
    boolean down = l.feedback() != null && "down".equals(l.feedback().rating());
    boolean up = l.feedback() != null && "up".equals(l.feedback().rating());
    if (first.path("accepted").asBoolean(false)) {
      if (!up && !down) return null;
      return Map.of(weak, up ? 1.0 : 0.0, strong, 1.0);
    }
    if (reason.startsWith("skipped") || reason.startsWith("failed")) return null;
    JsonNode last = attempts.get(attempts.size() - 1);
    if (!strong.equals(last.path("model").asText()) || !last.path("accepted").asBoolean(false)) return null;
    return Map.of(weak, 0.0, strong, down ? 0.0 : 1.0);
  }

  /** Outcomes from routing-outcome files or folders (RouteLLM, RouterBench, JSONL). */
  public static List<Outcomes.Outcome> fromFiles(List<java.nio.file.Path> paths) {
    return Outcomes.read(paths).outcomes();
  }

  /** Cross-validation folds when choosing a router's kind and penalty. */
  static final int FOLDS = 5;

  /** The fits that choosing a router on {@code data} takes ({@value #FOLDS} folds per candidate), for a progress bar. */
  public static int fits(List<Outcomes.Outcome> data) {
    return FOLDS * LearnedRouter.candidates(data).size();
  }

  private static double quality(CaseResult c) {
    return c.passed() ? 1.0 : Math.max(0, Math.min(1, c.score()));
  }

  /** Trains a router for {@code route} on {@code data} and stores it as a version (not promoted). */
  public Trained train(ModelsConfig.Route route, List<Outcomes.Outcome> data, String dataName, double strongShare, double heldoutShare, long seed,
      String note, IntConsumer progress) {
    String weak = route.models().get(0), strong = route.models().get(route.models().size() - 1);
    for (Outcomes.Outcome o : data) {
      if (!o.scores().containsKey(weak) || !o.scores().containsKey(strong)) {
        throw new BadInputException("outcome " + o.id() + " has no score for " + (o.scores().containsKey(weak) ? strong : weak)
            + ": routes." + route.name() + " goes from " + weak + " to " + strong + ", and the outcomes must score both (they score " + o.scores().keySet() + ")");
      }
    }
    if (!(strongShare > 0 && strongShare < 1)) throw new BadInputException("--strong-share must be between 0 and 1, got " + strongShare);
    if (!(heldoutShare > 0 && heldoutShare < 1)) throw new BadInputException("--heldout-share must be between 0 and 1, got " + heldoutShare);
    List<Outcomes.Outcome> shuffled = new ArrayList<>(data);
    Collections.shuffle(shuffled, new Random(seed));
    int nHeld = (int) Math.round(shuffled.size() * heldoutShare);
    if (nHeld < 10 || shuffled.size() - nHeld < 20) {
      throw new BadInputException("too few outcomes to train and gate a router: " + data.size() + " (" + (shuffled.size() - nHeld) + " to train, " + nHeld
          + " held out); a suite of 50 or more cases run with both models is the least that says anything");
    }
    List<Outcomes.Outcome> held = shuffled.subList(0, nHeld), train = shuffled.subList(nHeld, shuffled.size());
    // the prompts' embeddings from the project's embedder: candidates too, if cross-validation on train prefers them
    List<String> prompts = new ArrayList<>();
    for (Outcomes.Outcome o : data) prompts.add(o.prompt());
    LearnedRouter.Embeddings embeddings = embeddings(prompts);
    LearnedRouter.Choice choice = LearnedRouter.choose(train, weak, strong, FOLDS, 13, progress, embeddings);
    LearnedRouter router = LearnedRouter.train(choice.chosen(), train, weak, strong, embeddings);
    double[] trainScores = router.scores(train, embeddings);
    java.util.Arrays.sort(trainScores);
    double threshold = trainScores[Math.max(0, Math.min(trainScores.length - 1, (int) Math.floor((1 - strongShare) * trainScores.length)))];
    double[] w = LearnedRouter.quality(held, weak), s = LearnedRouter.quality(held, strong);
    boolean defined = RoutingCurve.routable(w, s);
    double apgr = defined ? RoutingCurve.of(router.scores(held, embeddings), w, s).apgr() : Double.NaN;
    double random = defined ? RoutingCurve.randomApgr(w, s, 20, 1) : Double.NaN;
    double oracle = defined ? RoutingCurve.oracle(w, s).apgr() : Double.NaN;

    Map<String, Object> artifact = new LinkedHashMap<>();
    artifact.put("format", "groundwork-router");
    artifact.put("version", 1);
    artifact.put("route", route.name());
    artifact.put("weak", weak);
    artifact.put("strong", strong);
    artifact.put("threshold", threshold);
    artifact.put("strong_share", strongShare);
    artifact.put("router", router.toJson());
    List<Map<String, Object>> heldJson = new ArrayList<>();
    for (Outcomes.Outcome o : held) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", o.id());
      m.put("prompt", o.prompt());
      m.put("category", o.category());
      m.put("scores", o.scores());
      heldJson.add(m);
    }
    artifact.put("heldout", heldJson);
    byte[] content;
    try {
      content = JSON.writeValueAsBytes(artifact);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("route", route.name());
    settings.put("weak", weak);
    settings.put("strong", strong);
    settings.put("chosen", choice.chosen().describe());
    settings.put("threshold", threshold);
    settings.put("strong_share", strongShare);
    settings.put("heldout_share", heldoutShare);
    settings.put("seed", seed);
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("cv_apgr", choice.cvApgr().get(choice.chosen()));
    metrics.put("heldout_apgr", Double.isNaN(apgr) ? null : apgr);
    metrics.put("heldout_random_apgr", Double.isNaN(random) ? null : random);
    metrics.put("heldout_oracle_apgr", Double.isNaN(oracle) ? null : oracle);
    metrics.put("n_train", train.size());
    metrics.put("n_heldout", held.size());
    StringBuilder dataText = new StringBuilder();
    for (Outcomes.Outcome o : data) dataText.append(o.id()).append('\t').append(o.prompt()).append('\t').append(new java.util.TreeMap<>(o.scores())).append('\n');
    byte[] dataBytes = dataText.toString().getBytes(StandardCharsets.UTF_8);
    Version v = registry.add(VersionKind.ROUTER, ARTIFACT, content, Map.of(dataName, VersionRegistry.sha256(dataBytes)), settings, metrics, note);
    return new Trained(v, choice, apgr, random, oracle, threshold, train.size(), held.size());
  }

  /**
   * The gate: on the candidate's held-out outcomes, its APGR must be above a random router's (0.5)
   * and, when a router is promoted, above that router's, with a paired bootstrap p-value below
   * {@value #ALPHA}.
   */
  Gate.Verdict gate(Version candidate, Optional<Version> current) {
    JsonNode c = read(candidate);
    List<Outcomes.Outcome> held = heldout(c);
    String weak = c.path("weak").asText(), strong = c.path("strong").asText();
    double[] w = LearnedRouter.quality(held, weak), s = LearnedRouter.quality(held, strong);
    if (!RoutingCurve.routable(w, s)) {
      return new Gate.Verdict(false, "on the held-out outcomes " + strong + " is no better than " + weak + ": there is nothing to route", Map.of());
    }
    LearnedRouter candRouter = LearnedRouter.fromJson(c.path("router"));
    LearnedRouter promotedRouter = current.isEmpty() ? null : LearnedRouter.fromJson(read(current.get()).path("router"));
    boolean anyEmbeds = candRouter.embedder() != null || (promotedRouter != null && promotedRouter.embedder() != null);
    LearnedRouter.Embeddings embeddings = anyEmbeds ? embeddings(held.stream().map(Outcomes.Outcome::prompt).toList()) : null;
    double[] cs = candRouter.scores(held, embeddings);
    double apgr = RoutingCurve.of(cs, w, s).apgr();
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("heldout_apgr", apgr);
    metrics.put("n_heldout", held.size());
    if (current.isEmpty() || !read(current.get()).path("route").asText().equals(c.path("route").asText())) {
      boolean passed = apgr > 0.5;
      return new Gate.Verdict(passed, String.format(Locale.ROOT, "held-out APGR %.3f on %d prompts %s a random router's 0.5 (no router promoted for route %s)",
          apgr, held.size(), passed ? "beats" : "does not beat", c.path("route").asText()), metrics);
    }
    double[] ps = promotedRouter.scores(held, embeddings);
    double before = RoutingCurve.of(ps, w, s).apgr();
    double p = RoutingCurve.pValueBetter(cs, ps, w, s, RESAMPLES, 17);
    metrics.put("promoted_apgr", before);
    metrics.put("p_value", p);
    boolean passed = apgr > before && p < ALPHA;
    return new Gate.Verdict(passed, String.format(Locale.ROOT, "held-out APGR %.3f against the promoted router's %.3f on the same %d prompts, paired bootstrap p=%.3f (%s %.2f)",
        apgr, before, held.size(), p, passed ? "below" : "needs below", ALPHA), metrics);
  }

  /** The prompts' embeddings from the project's embedder. */
  private LearnedRouter.Embeddings embeddings(List<String> prompts) {
    dev.groundwork.core.spi.Embedder e = embedder.get();
    return LearnedRouter.Embeddings.compute(e.name(), e.dimension(), e::embedDocuments, prompts, n -> { });
  }

  /**
   * The promoted router for {@code route}, as the cascade's start rule: a question whose score
   * reaches the threshold goes straight to the strong model.
   *
   * @throws ConfigException when no router for the route is promoted
   */
  public CascadeAnswerer.Router promotedFor(ModelsConfig.Route route) {
    Optional<Version> v = registry.promoted(VersionKind.ROUTER);
    JsonNode n = v.map(this::read).orElse(null);
    if (n == null || !n.path("route").asText().equals(route.name())) {
      throw new ConfigException(ProjectConfig.FILE + ": routes." + route.name() + ".policy: learned needs a promoted router for this route"
          + (n == null ? "" : " (the promoted one, " + v.get().id() + ", is for route " + n.path("route").asText() + ")")
          + "; run `groundwork router train --route " + route.name() + "`, then `groundwork versions promote ID`");
    }
    if (!n.path("weak").asText().equals(route.models().get(0)) || !n.path("strong").asText().equals(route.models().get(route.models().size() - 1))) {
      throw new ConfigException(ProjectConfig.FILE + ": routes." + route.name() + ": the promoted router " + v.get().id() + " was trained for "
          + n.path("weak").asText() + " -> " + n.path("strong").asText() + "; train one for the route's models now");
    }
    LearnedRouter router = LearnedRouter.fromJson(n.path("router"));
    double threshold = n.path("threshold").asDouble();
    int last = route.models().size() - 1;
    String id = v.get().id();
    dev.groundwork.core.spi.Embedder e = router.embedder() == null ? null : embedder.get();
    if (e != null && !e.name().equals(router.embedder())) {
      throw new ConfigException(ProjectConfig.FILE + ": routes." + route.name() + ": the promoted router " + id + " scores with " + router.embedder()
          + " embeddings, but the project's embedder is " + e.name() + "; train the router again");
    }
    return q -> {
      // the question's embedding, as the router was trained on its prompts' (documents, unit length)
      double score = router.score(q, "", e == null ? null : dev.groundwork.core.learn.Vectors.normalize(e.embedDocuments(List.of(q)).get(0)));
      return score >= threshold ? new CascadeAnswerer.Start(last, String.format(Locale.ROOT, "skipped: router %s scored %.3f >= threshold %.3f", id, score,
          threshold)) : new CascadeAnswerer.Start(0, "");
    };
  }

  private JsonNode read(Version v) {
    try {
      return JSON.readTree(Files.readAllBytes(registry.artifact(v)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read router version " + v.id() + ": " + e.getMessage(), e);
    }
  }

  private static List<Outcomes.Outcome> heldout(JsonNode artifact) {
    List<Outcomes.Outcome> out = new ArrayList<>();
    for (JsonNode o : artifact.path("heldout")) {
      Map<String, Double> scores = new LinkedHashMap<>();
      o.path("scores").fields().forEachRemaining(e -> scores.put(e.getKey(), e.getValue().asDouble()));
      out.add(new Outcomes.Outcome(o.path("id").asText(), o.path("prompt").asText(), o.path("category").asText(), scores, Map.of()));
    }
    return out;
  }
}
