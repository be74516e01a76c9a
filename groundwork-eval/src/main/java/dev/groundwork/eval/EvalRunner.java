package dev.groundwork.eval;

import dev.groundwork.core.Answer;

import dev.groundwork.core.metrics.RetrievalMetrics;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs each case of a suite through an {@link Asker} and checks its assertions. A case whose question
 * throws fails with the error and the run goes on. Cases run in suite order; the run is
 * deterministic when the asker is. Not thread-safe.
 */
public final class EvalRunner {
  /** Answers one question with k retrieved chunks. */
  public interface Asker {
    Answer ask(String question, int k);
  }

  /** Progress callbacks, called after each case. */
  public interface Listener {
    Listener NONE = (done, total, result) -> {};

    void caseDone(int done, int total, CaseResult result);
  }

  private final Clock clock;

  public EvalRunner(Clock clock) {
    this.clock = Objects.requireNonNull(clock);
  }

  public EvalRun run(Suite suite, Asker asker, int defaultK, Map<String, Object> fingerprint, Listener listener) {
    return run(suite, asker, defaultK, 1, fingerprint, listener, () -> false);
  }

  /**
   * Runs every case {@code repeat} times. A case passes only when every repetition passed; one that
   * both passed and failed is flaky. When {@code stop} turns true (Ctrl-C) the run ends after the
   * current case and holds the cases finished so far, marked partial.
   */
  public EvalRun run(Suite suite, Asker asker, int defaultK, int repeat, Map<String, Object> fingerprint, Listener listener,
      java.util.function.BooleanSupplier stop) {
    if (repeat < 1 || repeat > 100) throw new IllegalArgumentException("--repeat must be in 1..100, got " + repeat);
    int k = suite.k() != null ? suite.k() : defaultK;
    var started = clock.instant();
    long t0 = System.nanoTime();
    List<CaseResult> results = new ArrayList<>();
    boolean partial = false;
    for (EvalCase c : suite.cases()) {
      if (stop.getAsBoolean()) {
        partial = true;
        break;
      }
      CaseResult first = null;
      CaseResult failing = null;
      int passes = 0;
      for (int r = 0; r < repeat; r++) {
        CaseResult one = runCase(c, asker, k);
        if (first == null) first = one;
        if (one.passed()) passes++;
        else if (failing == null) failing = one;
      }
      CaseResult shown = failing != null ? failing : first;
      results.add(shown.withRepeats(repeat, passes));
      listener.caseDone(results.size(), suite.cases().size(), results.get(results.size() - 1));
    }
    Map<String, Object> fp = new HashMap<>(fingerprint);
    fp.put("k", k);
    fp.put("repeat", repeat);
    fp.put("suite_hash", suite.hash());
    String id = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(java.time.ZoneOffset.UTC).format(started)
        + "-" + suite.name().replaceAll("[^A-Za-z0-9._-]", "_");
    return new EvalRun(EvalRun.FORMAT, 1, id, suite.name(), started.toString(), (System.nanoTime() - t0) / 1e9,
        suite.minPassRate(), partial, fp, results);
  }

  static CaseResult runCase(EvalCase c, Asker asker, int k) {
    Answer a;
    try {
      a = asker.ask(c.question(), k);
    } catch (RuntimeException e) {
      return new CaseResult(c.id(), c.tags(), c.question(), "", false, false, 0, List.of(), null, null, null, 0, null,
          "the question failed: " + e.getMessage(), 1, 0);
    }
    List<Assertion.Outcome> outcomes = new ArrayList<>();
    for (Assertion as : c.assertions()) outcomes.add(as.check(c, a));
    double wsum = outcomes.stream().mapToDouble(Assertion.Outcome::weight).sum();
    double score = wsum == 0 ? (outcomes.stream().allMatch(Assertion.Outcome::passed) ? 1 : 0)
        : outcomes.stream().mapToDouble(o -> o.score() * o.weight()).sum() / wsum;
    boolean passed = outcomes.stream().allMatch(Assertion.Outcome::passed);
    Double recall = null, mrr = null, ndcg = null;
    if (!c.expectedSources().isEmpty()) {
      // documents in retrieval order, judged relevant when they match an expected source
      List<String> ranked = new ArrayList<>(new LinkedHashSet<>(a.retrieved().stream().map(h -> h.chunk().source()).toList()));
      Map<String, Integer> qrels = new HashMap<>();
      for (String pattern : c.expectedSources()) {
        String hit = ranked.stream().filter(s -> Sources.matches(s, pattern)).findFirst().orElse("(missing) " + pattern);
        qrels.put(hit, 1);
      }
      recall = RetrievalMetrics.recall(ranked, qrels, k);
      mrr = RetrievalMetrics.mrr(ranked, qrels, k);
      ndcg = RetrievalMetrics.ndcg(ranked, qrels, k);
    }
    return new CaseResult(c.id(), c.tags(), c.question(), a.text(), a.refused(), passed, score, outcomes, recall, mrr, ndcg,
        a.latencyMs(), a.costUsd(), null, 1, passed ? 1 : 0);
  }

}
