package dev.groundwork.eval;

import dev.groundwork.core.Answer;
import dev.groundwork.core.ScoredChunk;
import java.util.List;

/** Checks on what was retrieved, and the operational limits of an answer. */
final class RetrievalAssertions {
  private RetrievalAssertions() {}

  /** A chunk of {@code value} (or of an expected source) is among the top {@code k} retrieved (all when k is null). */
  record RetrievedSource(String value, Integer k, double weight) implements Assertion {
    public String type() { return "retrieved-source"; }

    public Outcome check(EvalCase c, Answer a) {
      List<String> want = value != null ? List.of(value) : c.expectedSources();
      List<ScoredChunk> top = k == null ? a.retrieved() : a.retrieved().subList(0, Math.min(k, a.retrieved().size()));
      boolean ok = top.stream().anyMatch(h -> want.stream().anyMatch(w -> Sources.matches(h.chunk().source(), w)));
      return Outcome.of(this, ok, "expected " + want + " in the top " + (k == null ? a.retrieved().size() : k) + " retrieved chunks");
    }
  }

  record MaxLatencyMs(long value, double weight) implements Assertion {
    public String type() { return "max-latency-ms"; }

    public Outcome check(EvalCase c, Answer a) {
      return Outcome.of(this, a.latencyMs() <= value, "took " + a.latencyMs() + " ms, over " + value + " ms");
    }
  }

  /** An unknown cost (null) fails: a budget cannot be checked against a price nobody knows. */
  record MaxCostUsd(double value, double weight) implements Assertion {
    public String type() { return "max-cost-usd"; }

    public Outcome check(EvalCase c, Answer a) {
      if (a.costUsd() == null) return Outcome.of(this, false, "the cost is unknown (no price for the model)");
      return Outcome.of(this, a.costUsd() <= value, String.format("cost $%.6f, over $%.6f", a.costUsd(), value));
    }
  }
}
