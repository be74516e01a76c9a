package dev.groundwork.eval;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/**
 * Runs suites inside a team's own {@code mvn test}: one dynamic test per case, failing with every
 * failed assertion's message.
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicNode> tidewater() {
 *   return EvalTests.of(Path.of("suites/tidewater.yaml"), (question, k) -> pipeline.ask(question, k, Filter.NONE), 8);
 * }
 * }</pre>
 *
 * Each suite becomes a container named after it; a malformed suite fails when the factory is called.
 */
public final class EvalTests {
  private EvalTests() {}

  public static Stream<DynamicNode> of(Path suiteFileOrFolder, EvalRunner.Asker asker, int defaultK) {
    List<Suite> suites = SuiteLoader.load(suiteFileOrFolder);
    return suites.stream().map(s -> DynamicContainer.dynamicContainer(s.name(), s.cases().stream().map(c -> test(s, c, asker, defaultK))));
  }

  private static DynamicNode test(Suite s, EvalCase c, EvalRunner.Asker asker, int defaultK) {
    return DynamicTest.dynamicTest(c.id(), () -> {
      CaseResult r = EvalRunner.runCase(c, asker, s.k() != null ? s.k() : defaultK);
      if (!r.passed()) {
        String failures = r.error() != null ? r.error()
            : r.outcomes().stream().filter(o -> !o.passed()).map(o -> o.type() + ": " + o.message()).collect(Collectors.joining("\n  "));
        throw new AssertionError(c.id() + " failed:\n  " + failures + "\nquestion: " + c.question() + "\nanswer: " + r.answer());
      }
    });
  }
}
