package dev.groundwork.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits text into sentence spans. Rules: a sentence ends at {@code . ! ?} (with closing quotes or
 * brackets) followed by white space and then an upper-case letter, digit, quote or bracket; not after
 * common abbreviations, single initials or inside numbers. A line break before a list marker or a
 * blank line always ends a sentence. Spans are trimmed of surrounding white space.
 */
public final class Sentences {
  private static final Set<String> ABBREVIATIONS = Set.of(
      "e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "fig", "figs", "no",
      "approx", "inc", "ltd", "co", "corp", "al", "cf", "ca", "min", "max", "vol", "p", "pp", "eq", "ref", "jan",
      "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "e.u", "resp");

  private Sentences() {}

  /** A sentence as offsets into the text it came from. */
  public record Span(int start, int end) {
    public String of(String text) {
      return text.substring(start, end);
    }
  }

  public static List<Span> split(String text) {
    return split(text, 0, text.length());
  }

  /** Sentences of {@code text[from, to)}, offsets relative to {@code text}. */
  public static List<Span> split(String text, int from, int to) {
    List<Span> out = new ArrayList<>();
    int start = from;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      int end = -1;
      if (c == '\n' && isHardBreak(text, i, to)) {
        end = i;
      } else if ((c == '.' || c == '!' || c == '?') && endsSentence(text, i, to)) {
        end = i + 1;
        while (end < to && ")\"'”’]".indexOf(text.charAt(end)) >= 0) end++;
      }
      if (end >= 0) {
        add(out, text, start, end);
        start = end;
        i = Math.max(i, end - 1); // a line break ends at i itself: move past it

      }
    }
    add(out, text, start, to);
    return out;
  }

  private static void add(List<Span> out, String text, int s, int e) {
    while (s < e && Character.isWhitespace(text.charAt(s))) s++;
    while (e > s && Character.isWhitespace(text.charAt(e - 1))) e--;
    if (e > s) out.add(new Span(s, e));
  }

  private static boolean isHardBreak(String t, int i, int to) {
    int j = i + 1;
    while (j < to && (t.charAt(j) == ' ' || t.charAt(j) == '\t')) j++;
    if (j >= to) return true;
    char n = t.charAt(j);
    if (n == '\n') return true;
    if (n == '-' || n == '*' || n == '•' || n == '|' || n == '#') return true;
    if (Character.isDigit(n)) {
      int k = j;
      while (k < to && Character.isDigit(t.charAt(k))) k++;
      if (k < to && (t.charAt(k) == '.' || t.charAt(k) == ')')) return true;
    }
    // a line that ends without punctuation followed by a capitalised line: a heading or list row
    int p = i - 1;
    while (p >= 0 && Character.isWhitespace(t.charAt(p))) p--;
    return p >= 0 && Character.isLetterOrDigit(t.charAt(p)) && Character.isUpperCase(n) && lineLength(t, p) < 80;
  }

  private static int lineLength(String t, int p) {
    int s = t.lastIndexOf('\n', p);
    return p - s;
  }

  private static boolean endsSentence(String t, int i, int to) {
    int j = i + 1;
    while (j < to && ")\"'”’]".indexOf(t.charAt(j)) >= 0) j++;
    if (j >= to) return true;
    if (!Character.isWhitespace(t.charAt(j))) return false;
    while (j < to && Character.isWhitespace(t.charAt(j))) j++;
    if (j >= to) return true;
    char n = t.charAt(j);
    if (!(Character.isUpperCase(n) || Character.isDigit(n) || "\"'“‘([".indexOf(n) >= 0)) return false;
    if (t.charAt(i) != '.') return true;
    // the word before the period
    int w = i;
    while (w > 0 && !Character.isWhitespace(t.charAt(w - 1))) w--;
    String word = t.substring(w, i).toLowerCase(java.util.Locale.ROOT).replaceAll("^[(\"'“‘\\[]+", "");
    if (word.length() == 1 && Character.isLetter(word.charAt(0))) return false; // an initial: "J. Smith"
    return !ABBREVIATIONS.contains(word);
  }
}
