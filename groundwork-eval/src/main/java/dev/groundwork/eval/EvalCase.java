package dev.groundwork.eval;

import java.util.List;

/**
 * One case of a suite.
 *
 * @param expected the reference answer, or null
 * @param expectedSources paths (or path prefixes ending in *) of documents that should be retrieved and cited
 * @param assertions the case's own assertions followed by the suite's default ones
 * @param earlier for a case given as a conversation ({@code messages}), the turns before its question, oldest first; else empty
 */
public record EvalCase(String id, String question, String expected, List<String> expectedSources, List<String> tags,
    List<Assertion> assertions, List<dev.groundwork.core.retrieve.FollowUps.Turn> earlier) {
  public EvalCase {
    expectedSources = List.copyOf(expectedSources);
    tags = List.copyOf(tags);
    assertions = List.copyOf(assertions);
    earlier = earlier == null ? List.of() : List.copyOf(earlier);
  }

  /** A single-question case. */
  public EvalCase(String id, String question, String expected, List<String> expectedSources, List<String> tags, List<Assertion> assertions) {
    this(id, question, expected, expectedSources, tags, assertions, List.of());
  }

  /** Texts a right answer contains: the case's {@code expected}, then its {@code contains} values. */
  public List<String> expectedTexts() {
    List<String> out = new java.util.ArrayList<>();
    if (expected != null && !expected.isBlank()) out.add(expected);
    for (Assertion a : assertions) if (a instanceof TextAssertions.Contains c && !out.contains(c.value())) out.add(c.value());
    return out;
  }

  /** The JSON Schemas (as written) that this case's {@code json-schema} assertions check. */
  public List<String> jsonSchemas() {
    return assertions.stream().filter(a -> a instanceof FormatAssertions.JsonSchema).map(a -> ((FormatAssertions.JsonSchema) a).schemaText()).toList();
  }

  /**
   * The source patterns this case's {@code retrieved-source} assertions expect among the retrieved
   * chunks (an assertion without a value expects the case's {@code expected_sources}); empty when it
   * has none.
   */
  public List<String> expectedRetrievals() {
    List<String> out = new java.util.ArrayList<>();
    for (Assertion a : assertions) {
      if (a instanceof RetrievalAssertions.RetrievedSource rs) {
        if (rs.value() != null) out.add(rs.value());
        else out.addAll(expectedSources);
      }
    }
    return out;
  }

  /** Whether {@code source} matches {@code pattern} as assertions match them (a path, or a prefix ending in *). */
  public static boolean sourceMatches(String source, String pattern) {
    return Sources.matches(source, pattern);
  }
}
