package dev.groundwork.app;

import dev.groundwork.core.text.CleanText;

/** The one check of the numeric request values every use case takes, so each is validated in one place. */
public final class Limits {
  /** Most chunks a question retrieves. */
  public static final int MAX_ASK_K = dev.groundwork.core.answer.AskPipeline.MAX_K;
  /** Most results a search returns. */
  public static final int MAX_SEARCH_K = 1000;
  /**
   * Longest question or search query, in characters: about 4,000 words, far past any real question.
   * Longer text is a 400, not a slow search; terms past the index's clause limit are dropped by the
   * index itself (rarest kept).
   */
  public static final int MAX_QUERY_CHARS = 32_000;

  private Limits() {}

  /**
   * @param field the flag or JSON field, named in the error
   * @throws BadInputException when {@code k} is outside 1..max
   */
  public static int k(long k, int max, String field) {
    if (k < 1 || k > max) throw new BadInputException(field + " must be in 1.." + max + ", got " + k);
    return (int) k;
  }

  /**
   * {@code text} cleaned at the boundary ({@link CleanText}: lone surrogates, NUL and other control
   * characters) and checked for length.
   *
   * @param field the flag or JSON field, named in the error
   * @throws BadInputException when it is null, blank or longer than {@link #MAX_QUERY_CHARS}
   */
  public static String query(String text, String field) {
    if (text == null || text.isBlank()) throw new BadInputException(field + ": must not be empty");
    if (text.length() > MAX_QUERY_CHARS) {
      throw new BadInputException(field + ": at most " + MAX_QUERY_CHARS + " characters, got " + text.length());
    }
    String clean = CleanText.of(text);
    if (clean.isBlank()) throw new BadInputException(field + ": must not be empty");
    return clean;
  }
}
