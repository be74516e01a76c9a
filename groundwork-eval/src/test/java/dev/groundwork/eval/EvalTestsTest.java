package dev.groundwork.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

class EvalTestsTest {
  @TempDir static Path dir;

  static Path suite() throws Exception {
    Path f = dir.resolve("s.yaml");
    Files.writeString(f, """
        cases:
          - {id: timeout, question: "What is the default visibility timeout?", assert: [{type: contains, value: 30 seconds}, {type: cites}]}
          - {id: refusal, question: "Who painted the Mona Lisa?", assert: [{type: refuses}]}
        """);
    return f;
  }

  static final EvalRunner.Asker ASKER = (q, k) -> q.contains("Mona")
      ? AssertionsTest.answer("The documents do not contain an answer to this question.", true, 0, 5)
      : AssertionsTest.answer("The default visibility timeout is 30 seconds. [1]", false, 0, 5);

  /** The integration as a team would use it: these run as real tests of this module. */
  @TestFactory
  Stream<DynamicNode> suiteAsDynamicTests() throws Exception {
    return EvalTests.of(suite(), ASKER, 8);
  }

  @Test
  void oneTestPerCaseAndFailuresCarryTheMessages() throws Exception {
    List<DynamicNode> nodes = EvalTests.of(suite(), (q, k) -> AssertionsTest.answer("Nothing useful here [1]", false, 0, 5), 8).toList();
    assertThat(nodes).singleElement().extracting(DynamicNode::getDisplayName).isEqualTo("s");
    List<DynamicTest> tests = new ArrayList<>();
    ((DynamicContainer) nodes.get(0)).getChildren().forEach(n -> tests.add((DynamicTest) n));
    assertThat(tests).extracting(DynamicNode::getDisplayName).containsExactly("timeout", "refusal");
    assertThatThrownBy(() -> tests.get(0).getExecutable().execute()).isInstanceOf(AssertionError.class)
        .hasMessageContaining("contains: expected the answer to contain \"30 seconds\"");
    assertThatThrownBy(() -> tests.get(1).getExecutable().execute()).hasMessageContaining("refuses: expected a refusal");
  }
}
