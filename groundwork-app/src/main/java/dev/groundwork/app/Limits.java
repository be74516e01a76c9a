package dev.groundwork.app;

/** The one check of the numeric request values every use case takes, so each is validated in one place. */
public final class Limits {
  /** Most chunks a question retrieves. */
  public static final int MAX_ASK_K = dev.groundwork.core.answer.AskPipeline.MAX_K;
  /** Most results a search returns. */
  public static final int MAX_SEARCH_K = 1000;

  private Limits() {}

  /**
   * @param field the flag or JSON field, named in the error
   * @throws BadInputException when {@code k} is outside 1..max
   */
  public static int k(long k, int max, String field) {
    if (k < 1 || k > max) throw new BadInputException(field + " must be in 1.." + max + ", got " + k);
    return (int) k;
  }
}
