package dev.groundwork.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Content terms for lexical matching in the answerer: lower-cased words and numbers without
 * English stop words, reduced by a light suffix stemmer (plural and common verb endings) so that
 * "limits" matches "limit" and "configured" matches "configure". Thread-safe.
 */
public final class Terms {
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:[.'’][\\p{L}\\p{N}]+)*");
  public static final Set<String> STOP_WORDS = Set.of(
      "a", "an", "and", "are", "as", "at", "be", "been", "being", "but", "by", "can", "could", "did", "do",
      "does", "doing", "for", "from", "had", "has", "have", "having", "how", "i", "if", "in", "into", "is",
      "it", "its", "me", "my", "of", "on", "or", "our", "should", "so", "than", "that", "the", "their",
      "them", "then", "there", "these", "they", "this", "those", "to", "was", "we", "were", "what", "when",
      "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "about",
      "tell", "explain", "describe", "please", "much", "many", "any", "some", "also", "all", "each", "there's",
      "what's", "s", "t", "get", "got", "use", "using", "used", "way", "need", "one", "other", "such", "may",
      "might", "must", "shall", "not", "no", "only", "very", "more", "most", "just", "after", "before", "over",
      "under", "up", "down", "out", "off", "again", "further", "same", "own", "both", "few", "whose", "know",
      "name", "called", "happen", "happens", "happened", "give", "given", "type", "kind", "go", "goes", "gets",
      "make", "makes", "take", "takes", "here", "am");

  private Terms() {}

  /** Content terms of {@code text}, in order, stemmed, stop words removed. */
  public static List<String> of(String text) {
    List<String> out = new ArrayList<>();
    for (String w : surface(text)) out.add(stem(w));
    return out;
  }

  /** Content words of {@code text} before stemming (lower-cased, stop words removed), in order. */
  public static List<String> surface(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      String w = m.group().replace('’', '\'');
      if (w.endsWith("'s")) w = w.substring(0, w.length() - 2);
      if (!STOP_WORDS.contains(w)) out.add(w);
    }
    return out;
  }

  /**
   * A light English stemmer: enough to match inflections, never so aggressive it merges distinct
   * words. A doubled final consonant is always single in the stem, so "cancelled", "cancel", "call"
   * and "called" each meet their partner.
   */
  public static String stem(String w) {
    return undouble(suffix(w));
  }

  private static String suffix(String w) {
    if (w.length() <= 3 || !Character.isLetter(w.charAt(w.length() - 1))) return w;
    if ((w.endsWith("ies") || w.endsWith("ied")) && w.length() > 4) return w.substring(0, w.length() - 3) + "y";
    if (w.endsWith("sses")) return w.substring(0, w.length() - 2);
    if (w.endsWith("ing") && w.length() > 5) return dropE(w.substring(0, w.length() - 3));
    if (w.endsWith("ed") && w.length() > 4) return dropE(w.substring(0, w.length() - 2));
    if (w.endsWith("es") && (w.endsWith("ches") || w.endsWith("shes") || w.endsWith("xes") || w.endsWith("zes")))
      return w.substring(0, w.length() - 2);
    if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) w = w.substring(0, w.length() - 1);
    if (w.endsWith("e") && w.length() > 4) return w.substring(0, w.length() - 1);
    return w;
  }

  private static String dropE(String s) {
    return s.endsWith("e") && s.length() > 4 ? s.substring(0, s.length() - 1) : s;
  }

  private static String undouble(String s) {
    int n = s.length();
    char c = n >= 3 ? s.charAt(n - 1) : 'a';
    if (n >= 3 && c == s.charAt(n - 2) && Character.isLetter(c) && "aeiou".indexOf(c) < 0) return s.substring(0, n - 1);
    return s;
  }
}
