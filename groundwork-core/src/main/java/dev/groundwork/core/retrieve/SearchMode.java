package dev.groundwork.core.retrieve;

import java.util.Locale;

/** Which rankings a search uses. */
public enum SearchMode {
  BM25, DENSE, HYBRID;

  public static SearchMode parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown search mode '" + s + "'; accepted: bm25, dense, hybrid");
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
