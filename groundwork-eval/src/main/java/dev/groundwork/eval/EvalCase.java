package dev.groundwork.eval;

import java.util.List;

/**
 * One case of a suite.
 *
 * @param expected the reference answer, or null
 * @param expectedSources paths (or path prefixes ending in *) of documents that should be retrieved and cited
 * @param assertions the case's own assertions followed by the suite's default ones
 */
public record EvalCase(String id, String question, String expected, List<String> expectedSources, List<String> tags,
    List<Assertion> assertions) {
  public EvalCase {
    expectedSources = List.copyOf(expectedSources);
    tags = List.copyOf(tags);
    assertions = List.copyOf(assertions);
  }
}
