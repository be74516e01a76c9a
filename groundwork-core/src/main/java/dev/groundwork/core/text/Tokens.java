package dev.groundwork.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model-independent tokenizer used for chunk sizes and token budgets: runs of letters or digits
 * are one token each, and so is every other non-space character. On English prose this counts
 * within about 15% of WordPiece/BPE tokenizers, which is what a budget needs. Thread-safe.
 */
public final class Tokens {
  private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+|[^\\p{L}\\p{N}\\s]");

  private Tokens() {}

  public static int count(CharSequence text) {
    Matcher m = TOKEN.matcher(text);
    int n = 0;
    while (m.find()) n++;
    return n;
  }

  /** Start offsets (into {@code text}) of every token, plus {@code text.length()} at the end. */
  public static int[] boundaries(CharSequence text) {
    Matcher m = TOKEN.matcher(text);
    List<Integer> starts = new ArrayList<>();
    while (m.find()) starts.add(m.start());
    int[] out = new int[starts.size() + 1];
    for (int i = 0; i < starts.size(); i++) out[i] = starts.get(i);
    out[starts.size()] = text.length();
    return out;
  }
}
