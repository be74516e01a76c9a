package dev.groundwork.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.Answer;
import dev.groundwork.core.Chunk;
import dev.groundwork.core.Citation;
import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.Usage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssertionsTest {
  @TempDir Path dir;

  static final Chunk VT = new Chunk("docs/vt.md#0", "docs/vt.md", "docs/vt.md", "Visibility timeout", "text/markdown", List.of("Visibility timeout"),
      null, 0, 45, "The default visibility timeout is 30 seconds.", null, 0);
  static final Chunk Q = new Chunk("docs/q.md#0", "docs/q.md", "docs/q.md", "Queues", "text/markdown", List.of(), null, 0, 20, "Queues hold jobs.", null, 0);

  static Answer answer(String text, boolean refused, double cost, long ms) {
    List<Citation> cites = refused ? List.of() : List.of(new Citation(1, "docs/vt.md", VT.id(), "Visibility timeout", null, VT.text()));
    return new Answer(text, cites, List.of(new ScoredChunk(Q, 0.9), new ScoredChunk(VT, 0.8)), "extractive", Usage.NONE, cost, ms, refused, 0.9, List.of(), null);
  }

  static EvalCase kase(String yamlAsserts, Path dir) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, "cases:\n  - id: c\n    question: What is the default visibility timeout?\n    expected_sources: [vt.md]\n    assert: " + yamlAsserts + "\n");
    return SuiteLoader.load(f).get(0).cases().get(0);
  }

  /** Each assertion's type and outcome, in the suite's order (a list: two assertions of one type are two entries). */
  List<Map.Entry<String, Boolean>> outcomes(String asserts, Answer a) throws Exception {
    EvalCase c = kase(asserts, dir);
    List<Map.Entry<String, Boolean>> out = new java.util.ArrayList<>();
    for (Assertion as : c.assertions()) out.add(Map.entry(as.type(), as.check(c, a).passed()));
    return out;
  }

  @Test
  void textAssertions() throws Exception {
    Answer a = answer("The default  visibility timeout is 30 seconds. [1]", false, 0, 10);
    assertThat(outcomes("[{type: contains, value: 30 SECONDS}, {type: not-contains, value: minutes}, {type: contains-any, value: [hours, seconds]},"
        + " {type: regex, value: '\\d+ seconds'}, {type: max-length, value: 60}, {type: equals, value: nope}, {type: is-json}]", a))
        .containsExactly(Map.entry("contains", true), Map.entry("not-contains", true), Map.entry("contains-any", true),
            Map.entry("regex", true), Map.entry("max-length", true), Map.entry("equals", false), Map.entry("is-json", false));
    assertThat(outcomes("[{type: is-json}]", answer("{\"a\": 1}", false, 0, 1))).containsExactly(Map.entry("is-json", true));
  }

  @Test
  void groundingAndRetrievalAssertions() throws Exception {
    Answer good = answer("The default visibility timeout is 30 seconds. [1]", false, 0, 10);
    assertThat(outcomes("[{type: cites}, {type: cites-source}, {type: refuses}, {type: grounded}, {type: retrieved-source},"
        + " {type: retrieved-source, value: q.md, k: 1}, {type: retrieved-source, value: vt.md, k: 1}]", good))
        .containsExactly(Map.entry("cites", true), Map.entry("cites-source", true), Map.entry("refuses", false), Map.entry("grounded", true),
            Map.entry("retrieved-source", true), Map.entry("retrieved-source", true), Map.entry("retrieved-source", false));
    Answer invented = answer("Timeouts are configured in the galaxy settings panel. [1]", false, 0, 10);
    EvalCase c = kase("[{type: grounded}]", dir);
    Assertion.Outcome o = c.assertions().get(0).check(c, invented);
    assertThat(o.passed()).isFalse();
    assertThat(o.message()).contains("supported 20% by its source (need 60%)");
    Answer refusal = answer("The documents do not contain an answer to this question.", true, 0, 10);
    assertThat(outcomes("[{type: refuses}, {type: cites}, {type: grounded}]", refusal))
        .containsExactly(Map.entry("refuses", true), Map.entry("cites", false), Map.entry("grounded", true));
  }

  @Test
  void jsonSchemaInlineOrFromAFile() throws Exception {
    Files.writeString(dir.resolve("schema.json"), "{\"type\": \"object\", \"required\": [\"port\"], \"properties\": {\"port\": {\"type\": \"integer\"}}}");
    String asserts = "[{type: json-schema, value: {type: object, required: [port]}}, {type: json-schema, value: schema.json}]";
    assertThat(outcomes(asserts, answer("{\"port\": 7410}", false, 0, 1))).containsExactly(Map.entry("json-schema", true), Map.entry("json-schema", true));
    EvalCase c = kase("[{type: json-schema, value: schema.json}]", dir);
    Assertion.Outcome bad = c.assertions().get(0).check(c, answer("{\"port\": \"seven\"}", false, 0, 1));
    assertThat(bad.passed()).isFalse();
    assertThat(bad.message()).contains("does not match the schema").contains("port");
    assertThat(c.assertions().get(0).check(c, answer("not json", false, 0, 1)).message()).isEqualTo("answer is not JSON");
  }

  @Test
  void similarUsesTheGivenSimilarityAgainstTheExpectedAnswer() throws Exception {
    Path f = dir.resolve("sim.yaml");
    Files.writeString(f, "cases:\n  - {id: s, question: q, expected: thirty seconds, assert: [{type: similar, threshold: 0.5}]}\n");
    EvalCase c = SuiteLoader.load(f, (a, b) -> a.equals("thirty seconds") && b.contains("30") ? 0.9 : 0.1).get(0).cases().get(0);
    assertThat(c.assertions().get(0).check(c, answer("It is 30 seconds. [1]", false, 0, 1)).passed()).isTrue();
    Assertion.Outcome o = c.assertions().get(0).check(c, answer("Blue. [1]", false, 0, 1));
    assertThat(o.passed()).isFalse();
    assertThat(o.score()).isEqualTo(0.1);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SuiteLoader.load(f)).hasMessageContaining("similar needs an embedder");
    Files.writeString(f, "cases:\n  - {id: s, question: q, assert: [{type: similar}]}\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SuiteLoader.load(f, (a, b) -> 1)).hasMessageContaining("sim.yaml: cases[id=s].expected: is needed by similar");
  }

  @Test
  void operationalAssertionsAndUnknownCost() throws Exception {
    assertThat(outcomes("[{type: max-latency-ms, value: 50}, {type: max-cost-usd, value: 0.01}]", answer("x [1]", false, 0.001, 20)))
        .containsExactly(Map.entry("max-latency-ms", true), Map.entry("max-cost-usd", true));
    Answer unknownCost = new Answer("x", List.of(), List.of(), "m", Usage.NONE, null, 100, false, 1, List.of(), null);
    EvalCase c = kase("[{type: max-cost-usd, value: 1}]", dir);
    assertThat(c.assertions().get(0).check(c, unknownCost).message()).contains("cost is unknown");
  }

  @Test
  void runnerScoresCasesComputesRetrievalMetricsAndSurvivesErrors() throws Exception {
    Path f = dir.resolve("s.yaml");
    Files.writeString(f, """
        min_pass_rate: 0.5
        cases:
          - {id: ok, question: good, expected_sources: [vt.md], assert: [{type: contains, value: 30 seconds}, {type: cites-source}]}
          - {id: half, question: good, assert: [{type: contains, value: 30 seconds, weight: 3}, {type: contains, value: minutes}]}
          - {id: boom, question: explode, assert: [{type: cites}]}
        """);
    Suite s = SuiteLoader.load(f).get(0);
    EvalRunner.Asker asker = (q, k) -> {
      if (q.equals("explode")) throw new IllegalStateException("provider down");
      return answer("The default visibility timeout is 30 seconds. [1]", false, 0.0, 12);
    };
    EvalRun run = new EvalRunner(Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC)).run(s, asker, 8, Map.of("answerer", "test"),
        EvalRunner.Listener.NONE);
    assertThat(run.id()).isEqualTo("20261125-100000-000-s");
    assertThat(run.cases()).extracting(CaseResult::passed).containsExactly(true, false, false);
    assertThat(run.cases().get(1).score()).isEqualTo(0.75);
    assertThat(run.cases().get(2).firstFailure()).contains("provider down");
    assertThat(run.cases().get(0).recall()).isEqualTo(1.0);
    assertThat(run.cases().get(0).mrr()).isEqualTo(0.5); // vt.md is the second retrieved document
    assertThat(run.passRate()).isCloseTo(1 / 3.0, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(run.succeeded()).isFalse();
    assertThat(run.fingerprint()).containsEntry("k", 8).containsEntry("answerer", "test").containsKey("suite_hash");

    Path stored = new RunStore(dir.resolve("runs")).save(run);
    EvalRun back = RunStore.read(stored);
    assertThat(back.cases()).hasSize(3);
    assertThat(back.cases().get(1).outcomes()).extracting(Assertion.Outcome::passed).containsExactly(true, false);
    assertThat(back.passRate()).isEqualTo(run.passRate());
    assertThat(back.cases().get(0).model()).as("the answering model is kept").isEqualTo(run.cases().get(0).model()).isNotNull();
    // a run stored before the answering model was recorded still reads, without it
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    var tree = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(stored.toFile());
    for (var c : tree.withArray("cases")) ((com.fasterxml.jackson.databind.node.ObjectNode) c).remove(List.of("model", "escalated"));
    Path older = dir.resolve("older.json");
    json.writeValue(older.toFile(), tree);
    assertThat(RunStore.read(older).cases()).hasSize(3).allSatisfy(c -> assertThat(c.model()).isNull());
  }
}
