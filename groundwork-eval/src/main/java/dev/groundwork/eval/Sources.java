package dev.groundwork.eval;

/** How suites name documents: an exact path, a path suffix after a '/', or a prefix ending in '*'. */
public final class Sources {
  private Sources() {}

  public static boolean matches(String source, String pattern) {
    if (pattern.endsWith("*")) {
      String prefix = pattern.substring(0, pattern.length() - 1);
      return source.startsWith(prefix) || source.contains("/" + prefix);
    }
    return source.equals(pattern) || source.endsWith("/" + pattern);
  }
}
