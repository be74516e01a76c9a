package dev.groundwork.cli;

import dev.groundwork.core.Chunk;

/** Console formatting helpers. */
final class Format {
  private Format() {}

  /** {@code source  heading (page N)}. */
  static String location(Chunk c) {
    return location(c.source(), c.heading(), c.page());
  }

  static String location(String source, String heading, Integer page) {
    StringBuilder sb = new StringBuilder(source);
    if (!heading.isEmpty()) sb.append("  ").append(heading);
    if (page != null) sb.append("  (page ").append(page).append(')');
    return sb.toString();
  }

  /** The text on one line, cut at a word boundary to at most {@code max} characters. */
  static String snippet(String text, int max) {
    String t = text.replaceAll("\\s+", " ").strip();
    if (t.length() <= max) return t;
    int cut = t.lastIndexOf(' ', max);
    return t.substring(0, cut > max / 2 ? cut : max) + " ...";
  }
}
