package dev.groundwork.eval;

import dev.groundwork.core.Answer;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks on the answer text. {@code contains}, {@code not-contains} and {@code contains-any} ignore
 * case and fold runs of white space; {@code equals} compares the trimmed text exactly;
 * {@code regex} finds the pattern anywhere (use {@code (?i)} for case-insensitivity).
 */
final class TextAssertions {
  private TextAssertions() {}

  static String fold(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
  }

  record Contains(String value, double weight) implements Assertion {
    public String type() { return "contains"; }

    public Outcome check(EvalCase c, Answer a) {
      return Outcome.of(this, fold(a.text()).contains(fold(value)), "expected the answer to contain \"" + value + "\"");
    }
  }

  record NotContains(String value, double weight) implements Assertion {
    public String type() { return "not-contains"; }

    public Outcome check(EvalCase c, Answer a) {
      return Outcome.of(this, !fold(a.text()).contains(fold(value)), "expected the answer not to contain \"" + value + "\"");
    }
  }

  record ContainsAny(List<String> values, double weight) implements Assertion {
    public String type() { return "contains-any"; }

    public Outcome check(EvalCase c, Answer a) {
      String t = fold(a.text());
      return Outcome.of(this, values.stream().anyMatch(v -> t.contains(fold(v))), "expected the answer to contain one of " + values);
    }
  }

  record Regex(Pattern pattern, double weight) implements Assertion {
    public String type() { return "regex"; }

    public Outcome check(EvalCase c, Answer a) {
      return Outcome.of(this, pattern.matcher(a.text()).find(), "expected the answer to match /" + pattern.pattern() + "/");
    }
  }

  record Equals(String value, double weight) implements Assertion {
    public String type() { return "equals"; }

    public Outcome check(EvalCase c, Answer a) {
      return Outcome.of(this, a.text().strip().equals(value.strip()), "expected the answer to equal \"" + value + "\"");
    }
  }

  record MaxLength(int value, double weight) implements Assertion {
    public String type() { return "max-length"; }

    public Outcome check(EvalCase c, Answer a) {
      int n = a.text().length();
      return Outcome.of(this, n <= value, "answer is " + n + " characters, over the maximum of " + value);
    }
  }

  record IsJson(double weight) implements Assertion {
    public String type() { return "is-json"; }

    public Outcome check(EvalCase c, Answer a) {
      try {
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(a.text());
        return Outcome.of(this, true, "");
      } catch (Exception e) {
        return Outcome.of(this, false, "answer is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
      }
    }
  }
}
