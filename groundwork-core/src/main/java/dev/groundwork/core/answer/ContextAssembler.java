package dev.groundwork.core.answer;

import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.text.Tokens;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Numbers retrieved chunks as sources {@code [1]..[n]} in rank order under a token budget. When
 * the budget is exceeded the lowest-ranked chunks are dropped whole; a chunk is never cut. In lenient
 * mode the first chunk is always kept, even if it alone exceeds the budget, so there is something to
 * answer from; in strict mode (a model's context window, which cannot be exceeded) it is not.
 * Thread-safe if the token counter is.
 */
public final class ContextAssembler {
  /** Tokens of a source's header line ({@code [n] path — heading}) beside its text. */
  static final int HEADER_TOKENS = 12;

  private final int budgetTokens;
  private final ToIntFunction<String> counter;
  private final boolean strict;

  public ContextAssembler(int budgetTokens) {
    this(budgetTokens, Tokens::count, false);
  }

  /**
   * @param counter counts the tokens of a chunk's text as the model will see them
   * @param strict true when the budget is a hard limit, even for the first chunk
   */
  public ContextAssembler(int budgetTokens, ToIntFunction<String> counter, boolean strict) {
    if (budgetTokens < 1) throw new IllegalArgumentException("answer.context_tokens must be >= 1, got " + budgetTokens);
    this.budgetTokens = budgetTokens;
    this.counter = counter;
    this.strict = strict;
  }

  /** A numbered source. */
  public record Source(int n, ScoredChunk hit) {}

  /** The kept sources and how many were dropped for the budget. */
  public record Context(List<Source> sources, int droppedChunks, int tokens) {}

  public Context assemble(List<ScoredChunk> ranked) {
    List<Source> out = new ArrayList<>();
    int used = 0;
    for (ScoredChunk h : ranked) {
      int t = counter.applyAsInt(h.chunk().text()) + HEADER_TOKENS;
      boolean mustKeepOne = !strict && out.isEmpty();
      if (!mustKeepOne && used + t > budgetTokens) break; // drop this and everything ranked below it
      out.add(new Source(out.size() + 1, h));
      used += t;
    }
    return new Context(out, ranked.size() - out.size(), used);
  }
}
