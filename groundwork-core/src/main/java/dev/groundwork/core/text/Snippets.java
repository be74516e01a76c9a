package dev.groundwork.core.text;

/** Short one-line renderings of text for messages, logs and reports. Stateless. */
public final class Snippets {
  private Snippets() {}

  /**
   * {@code text} with runs of whitespace collapsed to one space, cut to at most {@code max}
   * characters with a trailing "..." when longer; "" for null.
   */
  public static String oneLine(String text, int max) {
    if (max < 4) throw new IllegalArgumentException("max must be >= 4, got " + max);
    String t = text == null ? "" : text.strip().replaceAll("\\s+", " ");
    return t.length() <= max ? t : t.substring(0, max - 3) + "...";
  }
}
