package dev.groundwork.core.answer;

import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.text.Tokens;
import java.util.ArrayList;
import java.util.List;

/**
 * Numbers retrieved chunks as sources {@code [1]..[n]} in rank order under a token budget. When
 * the budget is exceeded the lowest-ranked chunks are dropped whole; a chunk is never cut. The first
 * chunk is always kept, even if it alone exceeds the budget, so there is something to answer from.
 */
public final class ContextAssembler {
  private final int budgetTokens;

  public ContextAssembler(int budgetTokens) {
    if (budgetTokens < 1) throw new IllegalArgumentException("answer.context_tokens must be >= 1, got " + budgetTokens);
    this.budgetTokens = budgetTokens;
  }

  /** A numbered source. */
  public record Source(int n, ScoredChunk hit) {}

  /** The kept sources and how many were dropped for the budget. */
  public record Context(List<Source> sources, int droppedChunks, int tokens) {
    /** Renders the sources as a delimited, numbered block for a prompt. */
    public String render() {
      StringBuilder sb = new StringBuilder();
      for (Source s : sources) {
        var c = s.hit().chunk();
        sb.append("[").append(s.n()).append("] ").append(c.source());
        if (!c.heading().isEmpty()) sb.append(" — ").append(c.heading());
        if (c.page() != null) sb.append(" (page ").append(c.page()).append(')');
        sb.append("\n").append(c.text()).append("\n\n");
      }
      return sb.toString();
    }
  }

  public Context assemble(List<ScoredChunk> ranked) {
    List<Source> out = new ArrayList<>();
    int used = 0;
    for (ScoredChunk h : ranked) {
      int t = Tokens.count(h.chunk().text()) + 8; // + the source line
      if (!out.isEmpty() && used + t > budgetTokens) break; // drop this and everything ranked below it
      out.add(new Source(out.size() + 1, h));
      used += t;
    }
    return new Context(out, ranked.size() - out.size(), used);
  }
}
