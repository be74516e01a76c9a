package dev.groundwork.core.text;

/**
 * Text from outside (a question, a search query) made safe for every stage behind it: a lone UTF-16
 * surrogate (JSON's {@code "\udc00"} decodes to one) becomes U+FFFD, and NUL and the other C0 control
 * characters except tab, line feed and carriage return are dropped. Tokenizers, the index and the
 * embedder then see well-formed text only.
 */
public final class CleanText {
  private CleanText() {}

  /** {@code s} cleaned as above; the same instance when there was nothing to clean. Null stays null. */
  public static String of(String s) {
    if (s == null) return null;
    int n = s.length();
    int i = 0;
    while (i < n && clean(s, i)) i += Character.isHighSurrogate(s.charAt(i)) ? 2 : 1;
    if (i >= n) return s;
    StringBuilder sb = new StringBuilder(n).append(s, 0, i);
    while (i < n) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        sb.append(c).append(s.charAt(i + 1));
        i += 2;
        continue;
      }
      if (Character.isSurrogate(c)) sb.append('\uFFFD');
      else if (!control(c)) sb.append(c);
      i++;
    }
    return sb.toString();
  }

  /** Whether the character (or surrogate pair) at {@code i} needs no cleaning. */
  private static boolean clean(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    return !Character.isLowSurrogate(c) && !control(c);
  }

  private static boolean control(char c) {
    return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
  }
}
