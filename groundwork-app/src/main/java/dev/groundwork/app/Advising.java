package dev.groundwork.app;

import dev.groundwork.advisor.Advisor;
import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.log.QueryLog;
import dev.groundwork.core.spi.Filter;
import dev.groundwork.eval.EvalCase;
import dev.groundwork.eval.EvalRun;
import dev.groundwork.eval.Suite;
import dev.groundwork.eval.SuiteLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code groundwork advise}: the advisor's evidence read from a project (an eval run, its suite, the
 * index, the query log, the budgets) and its advice.
 */
public final class Advising {
  /** The p95 latency target when none is given. */
  public static final long DEFAULT_P95_MS = 3000;

  private Advising() {}

  /**
   * @param runRef a run id or file, or null for the newest stored run
   * @param p95TargetMs the latency target, or null for {@link #DEFAULT_P95_MS}
   */
  public static Advisor.Advice advise(Project p, String runRef, Long p95TargetMs, Clock clock) {
    return Advisor.advise(new ProjectEvidence(p, run(p, runRef), p95TargetMs == null ? DEFAULT_P95_MS : p95TargetMs, clock.instant()));
  }

  private static EvalRun run(Project p, String ref) {
    var store = ProjectEvals.store(p);
    if (ref != null) {
      try {
        return store.find(ref, null, null);
      } catch (IllegalArgumentException e) {
        throw new NotFoundException(e.getMessage() + " (see .groundwork/runs/, or run `groundwork eval`)");
      }
    }
    List<EvalRun> all = store.list();
    return all.isEmpty() ? null : all.get(0);
  }

  /** The evidence of one project; index reads are made once and kept. */
  private static final class ProjectEvidence implements Advisor.Evidence {
    private final Project p;
    private final EvalRun run;
    private final long p95;
    private final Instant now;
    private final Map<String, EvalCase> cases = new HashMap<>();
    private Map<String, Integer> chunksBySource;

    ProjectEvidence(Project p, EvalRun run, long p95, Instant now) {
      this.p = p;
      this.run = run;
      this.p95 = p95;
      this.now = now;
      if (run != null) {
        for (String s : p.config().suites()) {
          Path path = p.root().resolve(s);
          if (!Files.exists(path)) continue;
          for (Suite suite : SuiteLoader.load(path, (a, b) -> 0)) {
            if (suite.name().equals(run.suite())) for (EvalCase c : suite.cases()) cases.put(c.id(), c);
          }
        }
      }
    }

    @Override
    public EvalRun run() {
      return run;
    }

    @Override
    public Advisor.CaseFacts facts(String caseId) {
      EvalCase c = cases.get(caseId);
      if (c == null) return null;
      return new Advisor.CaseFacts(c.expectedTexts(), c.expectedSources(), c.tags());
    }

    @Override
    public boolean corpusContains(String text) {
      String want = norm(text);
      if (want.isEmpty()) return false;
      for (ScoredChunk h : p.index().searchText(text, 20, Filter.NONE)) if (norm(h.chunk().text()).contains(want)) return true;
      return false;
    }

    private static String norm(String s) {
      return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    }

    @Override
    public synchronized int chunks(String source) {
      Map<String, Integer> m = bySource();
      Integer n = m.get(source);
      if (n != null) return n;
      for (Map.Entry<String, Integer> e : m.entrySet()) if (dev.groundwork.eval.Sources.matches(e.getKey(), source)) return e.getValue();
      return 0;
    }

    @Override
    public synchronized double medianChunks() {
      List<Integer> n = bySource().values().stream().sorted().toList();
      if (n.isEmpty()) return 0;
      return n.size() % 2 == 1 ? n.get(n.size() / 2) : (n.get(n.size() / 2 - 1) + n.get(n.size() / 2)) / 2.0;
    }

    /** Leaf chunks per document source, from the index. */
    private Map<String, Integer> bySource() {
      if (chunksBySource != null) return chunksBySource;
      Map<String, Integer> byDoc = new HashMap<>();
      for (var leaf : p.index().leafVectors()) byDoc.merge(leaf.docId(), 1, Integer::sum);
      Map<String, Integer> out = new HashMap<>();
      for (Map.Entry<String, Integer> e : byDoc.entrySet()) {
        String source = p.index().chunk(e.getKey() + "#0").map(c -> c.source()).orElse(e.getKey());
        out.merge(source, e.getValue(), Integer::sum);
      }
      return chunksBySource = out;
    }

    @Override
    public List<QueryLog.Entry> traffic() {
      List<QueryLog.Entry> out = new ArrayList<>();
      QueryLog log = p.queryLog();
      for (int offset = 0; ; offset += 1000) {
        var page = log.list(new QueryLog.Query(now.minus(Duration.ofDays(30)), null, null, null, null, 1000, offset));
        for (var l : page) out.add(l.entry());
        if (page.size() < 1000) return out;
      }
    }

    @Override
    public Advisor.Settings settings() {
      return new Advisor.Settings(p.config().budgets().monthUsd(), p95, now);
    }
  }
}
