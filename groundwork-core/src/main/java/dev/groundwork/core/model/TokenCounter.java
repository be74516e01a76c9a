package dev.groundwork.core.model;

/**
 * Counts a model's tokens without calling anyone: what dataset checks and training preflights use,
 * so that they depend on no provider. Thread-safe.
 *
 * @param exact true when {@code tokens} is the model's own tokenizer, false for an estimate
 * @param method how the count is made, e.g. "jtokkit o200k_base (the model's own)" or "word pieces (an estimate)"
 * @param contextWindow the model's context window in tokens
 */
public record TokenCounter(java.util.function.ToIntFunction<String> tokens, boolean exact, String method, int contextWindow) {
  /** An estimate: runs of letters or digits and single other characters (within about 15% of BPE on English prose). */
  public static TokenCounter estimate(String why, int contextWindow) {
    return new TokenCounter(dev.groundwork.core.text.Tokens::count, false, "word pieces, an estimate (" + why + ")", contextWindow);
  }

  public int count(String text) {
    return tokens.applyAsInt(text);
  }
}
