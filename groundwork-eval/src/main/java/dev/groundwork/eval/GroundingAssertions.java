package dev.groundwork.eval;

import dev.groundwork.core.Answer;
import dev.groundwork.core.Citation;
import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.text.Snippets;
import dev.groundwork.core.text.Terms;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks that an answer cites, cites the right documents, refuses, or stays inside its sources. */
final class GroundingAssertions {
  private GroundingAssertions() {}

  private static List<String> expected(String value, EvalCase c) {
    return value != null ? List.of(value) : c.expectedSources();
  }

  record Cites(double weight) implements Assertion {
    public String type() { return "cites"; }

    public Outcome check(EvalCase c, Answer a) {
      return Outcome.of(this, !a.citations().isEmpty(), "expected at least one citation, found none");
    }
  }

  /** A citation points at {@code value}, or at one of the case's expected_sources when value is null. */
  record CitesSource(String value, double weight) implements Assertion {
    public String type() { return "cites-source"; }

    public Outcome check(EvalCase c, Answer a) {
      List<String> want = expected(value, c);
      boolean ok = a.citations().stream().anyMatch(cit -> want.stream().anyMatch(w -> Sources.matches(cit.source(), w)));
      return Outcome.of(this, ok, "expected a citation of " + want + ", cited " + a.citations().stream().map(Citation::source).toList());
    }
  }

  record Refuses(double weight) implements Assertion {
    public String type() { return "refuses"; }

    public Outcome check(EvalCase c, Answer a) {
      return Outcome.of(this, a.refused(), "expected a refusal, got an answer: " + snippet(a.text()));
    }
  }

  /**
   * Every sentence group of the answer that ends in {@code [n]} is supported by the chunk n cites:
   * at least {@code threshold} of its content terms occur in that chunk (lexical support). The score
   * is the weakest group's support. A refusal has nothing to support and passes.
   */
  record Grounded(double threshold, double weight, LlmJudge judge) implements Assertion {
    private static final Pattern SEGMENT = Pattern.compile("(.*?)\\[(\\d+)]", Pattern.DOTALL);

    public String type() { return "grounded"; }

    public Outcome check(EvalCase c, Answer a) {
      if (a.refused()) return new Outcome(type(), true, 1, weight, "");
      if (judge != null) return byJudge(a);
      Matcher m = SEGMENT.matcher(a.text());
      double worst = 1;
      String worstText = "";
      int segments = 0;
      while (m.find()) {
        segments++;
        int n = Integer.parseInt(m.group(2));
        String chunk = citedChunkText(a, n);
        Set<String> terms = new HashSet<>(Terms.of(m.group(1)));
        if (terms.isEmpty()) continue;
        Set<String> support = chunk == null ? Set.of() : new HashSet<>(Terms.of(chunk));
        long hit = terms.stream().filter(support::contains).count();
        double s = (double) hit / terms.size();
        if (s < worst) {
          worst = s;
          worstText = m.group(1).strip();
        }
      }
      if (segments == 0) return new Outcome(type(), false, 0, weight, "the answer has no [n] citations to check");
      boolean ok = worst >= threshold;
      return new Outcome(type(), ok, worst, weight, ok ? "" : String.format(
          "sentence supported %.0f%% by its source (need %.0f%%): %s", 100 * worst, 100 * threshold, snippet(worstText)));
    }

    /** The judge grades the whole answer against the text of the sources it cites. */
    private Outcome byJudge(Answer a) {
      if (a.citations().isEmpty()) return new Outcome(type(), false, 0, weight, "the answer has no [n] citations to check");
      StringBuilder sources = new StringBuilder();
      for (Citation cit : a.citations()) {
        String text = citedChunkText(a, cit.n());
        sources.append('[').append(cit.n()).append("]\n").append(text == null ? "" : text).append("\n\n");
      }
      try {
        LlmJudge.Verdict v = judge.grounded(a.text(), sources.toString());
        boolean ok = v.score() >= threshold;
        return new Outcome(type(), ok, v.score(), weight, ok ? "" : String.format("judge %s: %.2f < %.2f: %s", judge.name(), v.score(), threshold, v.reason()));
      } catch (LlmJudge.JudgeException e) {
        return new Outcome(type(), false, 0, weight, "judge error: " + e.getMessage());
      }
    }

    private static String citedChunkText(Answer a, int n) {
      for (Citation cit : a.citations()) {
        if (cit.n() != n) continue;
        for (ScoredChunk h : a.retrieved()) if (h.id().equals(cit.chunkId())) return h.chunk().text();
        return cit.text();
      }
      return null;
    }
  }

  static String snippet(String s) {
    return Snippets.oneLine(s, 120);
  }
}
