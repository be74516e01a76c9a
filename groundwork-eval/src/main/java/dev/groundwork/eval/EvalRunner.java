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
    int k = suite.k() != null ? suite.k() : defaultK;
    var started = clock.instant();
    long t0 = System.nanoTime();
    List<CaseResult> results = new ArrayList<>();
    for (EvalCase c : suite.cases()) {
      results.add(runCase(c, asker, k));
      listener.caseDone(results.size(), suite.cases().size(), results.get(results.size() - 1));
    }
    Map<String, Object> fp = new HashMap<>(fingerprint);
    fp.put("k", k);
    fp.put("suite_hash", suite.hash());
    String id = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC).format(started)
        + "-" + suite.name().replaceAll("[^A-Za-z0-9._-]", "_");
    return new EvalRun(EvalRun.FORMAT, 1, id, suite.name(), started.toString(), (System.nanoTime() - t0) / 1e9,
        suite.minPassRate(), fp, results);
  }

  static CaseResult runCase(EvalCase c, Asker asker, int k) {
    Answer a;
    try {
      a = asker.ask(c.question(), k);
    } catch (RuntimeException e) {
      return new CaseResult(c.id(), c.tags(), c.question(), "", false, false, 0, List.of(), null, null, null, 0, null,
          "the question failed: " + e.getMessage());
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
        a.latencyMs(), a.costUsd(), null);
  }

}
