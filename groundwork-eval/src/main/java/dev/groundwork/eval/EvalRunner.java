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
 * throws fails with the error and the run goes on. Results are in suite order; the run is
 * deterministic when the asker is. The asker must be thread-safe when cases run concurrently.
 */
public final class EvalRunner {
  /** Answers one question with k retrieved chunks. */
  public interface Asker {
    Answer ask(String question, int k);

    /** The last message of a conversation, with the turns before it (the default ignores them). */
    default Answer ask(List<dev.groundwork.core.retrieve.FollowUps.Turn> earlier, String question, int k) {
      return ask(question, k);
    }
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

  public EvalRun run(Suite suite, Asker asker, int defaultK, int repeat, Map<String, Object> fingerprint, Listener listener,
      java.util.function.BooleanSupplier stop) {
    return run(suite, asker, defaultK, repeat, 1, fingerprint, listener, stop);
  }

  /**
   * Runs every case {@code repeat} times, {@code concurrency} cases at a time (results keep suite
   * order, so a run is the same at any concurrency when the asker is deterministic). A case passes
   * only when every repetition passed; one that both passed and failed is flaky. When {@code stop}
   * turns true (Ctrl-C) no further case starts; the run holds the cases finished so far, marked
   * partial.
   */
  public EvalRun run(Suite suite, Asker asker, int defaultK, int repeat, int concurrency, Map<String, Object> fingerprint, Listener listener,
      java.util.function.BooleanSupplier stop) {
    if (repeat < 1 || repeat > 100) throw new IllegalArgumentException("--repeat must be in 1..100, got " + repeat);
    if (concurrency < 1 || concurrency > 64) throw new IllegalArgumentException("--concurrency must be in 1..64, got " + concurrency);
    int k = suite.k() != null ? suite.k() : defaultK;
    var started = clock.instant();
    long t0 = System.nanoTime();
    int total = suite.cases().size();
    CaseResult[] done = new CaseResult[total];
    int[] finished = {0};
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(concurrency);
    List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      int idx = i;
      EvalCase c = suite.cases().get(i);
      futures.add(pool.submit(() -> {
        if (stop.getAsBoolean()) return;
        CaseResult r = repeatCase(c, asker, k, repeat);
        synchronized (done) {
          done[idx] = r;
          listener.caseDone(++finished[0], total, r);
        }
      }));
    }
    pool.shutdown();
    for (var f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        pool.shutdownNow();
        break;
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("eval worker failed: " + e.getCause(), e.getCause());
      }
    }
    List<CaseResult> results = new ArrayList<>();
    boolean partial = false;
    synchronized (done) {
      for (CaseResult r : done) {
        if (r == null) partial = true;
        else results.add(r);
      }
    }
    Map<String, Object> fp = new HashMap<>(fingerprint);
    fp.put("k", k);
    fp.put("repeat", repeat);
    fp.put("suite_hash", suite.hash());
    String id = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(java.time.ZoneOffset.UTC).format(started)
        + "-" + suite.name().replaceAll("[^A-Za-z0-9._-]", "_");
    return new EvalRun(EvalRun.FORMAT, 1, id, suite.name(), started.toString(), (System.nanoTime() - t0) / 1e9,
        suite.minPassRate(), partial, fp, results, null);
  }

  private static CaseResult repeatCase(EvalCase c, Asker asker, int k, int repeat) {
    CaseResult first = null;
    CaseResult failing = null;
    int passes = 0;
    for (int r = 0; r < repeat; r++) {
      CaseResult one = runCase(c, asker, k);
      if (first == null) first = one;
      if (one.passed()) passes++;
      else if (failing == null) failing = one;
    }
    return (failing != null ? failing : first).withRepeats(repeat, passes);
  }

  static CaseResult runCase(EvalCase c, Asker asker, int k) {
    Answer a;
    try {
      a = c.earlier().isEmpty() ? asker.ask(c.question(), k) : asker.ask(c.earlier(), c.question(), k);
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
        a.latencyMs(), a.costUsd(), null, 1, passed ? 1 : 0, a.model(), a.routing() == null ? null : a.routing().escalated());
  }

}
