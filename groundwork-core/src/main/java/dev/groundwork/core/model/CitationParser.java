package dev.groundwork.core.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the {@code [n]} citation markers in a model's text (also {@code [1, 3]} and {@code [2][4]}),
 * keeps those that point at one of the {@code sources} numbered sources, and removes and reports
 * the others, so an answer never shows a citation that leads nowhere.
 */
public final class CitationParser {
  private static final Pattern MARKER = Pattern.compile("\\[(\\d+(?:\\s*,\\s*\\d+)*)]");

  private CitationParser() {}

  /**
   * @param text the text with invalid markers removed (valid ones unchanged)
   * @param cited valid source numbers in order of first appearance
   * @param invalid numbers that pointed nowhere, in order of appearance
   */
  public record Result(String text, List<Integer> cited, List<Integer> invalid) {}

  public static Result parse(String text, int sources) {
    Set<Integer> cited = new LinkedHashSet<>();
    List<Integer> invalid = new ArrayList<>();
    Matcher m = MARKER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      List<Integer> keep = new ArrayList<>();
      for (String part : m.group(1).split(",")) {
        int n;
        try {
          n = Integer.parseInt(part.strip());
        } catch (NumberFormatException e) {
          n = -1; // too long to be a source number
        }
        if (n >= 1 && n <= sources) {
          keep.add(n);
          cited.add(n);
        } else {
          invalid.add(n);
        }
      }
      String replacement = keep.isEmpty() ? "" : "[" + String.join(", ", keep.stream().map(String::valueOf).toList()) + "]";
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    String cleaned = out.toString().replaceAll(" +([.,;:!?])", "$1").replaceAll(" {2,}", " ").strip();
    return new Result(cleaned, List.copyOf(cited), List.copyOf(invalid));
  }
}
