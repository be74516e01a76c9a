package dev.groundwork.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class ReportsTest {
  static CaseResult result(String id, boolean passed, double score, List<Assertion.Outcome> outcomes, int runs, int passes) {
    return new CaseResult(id, List.of("t"), "q <" + id + ">", "answer & \"quotes\"\u0001", false, passed, score, outcomes, 1.0, 1.0, 1.0, 10,
        0.0, null, runs, passes);
  }

  static Assertion.Outcome outcome(String type, boolean ok) {
    return new Assertion.Outcome(type, ok, ok ? 1 : 0, 1, ok ? "" : type + " failed <here>");
  }

  static EvalRun run(String id, List<CaseResult> cases) {
    return new EvalRun(EvalRun.FORMAT, 1, id, "s", "2026-11-25T10:00:00Z", 1.5, 0.5, false, Map.of("k", 8), cases, null);
  }

  final EvalRun before = run("r1", List.of(
      result("stays", true, 1, List.of(outcome("contains", true)), 1, 1),
      result("breaks", true, 1, List.of(outcome("contains", true), outcome("cites", true)), 1, 1),
      result("heals", false, 0.5, List.of(outcome("contains", false)), 1, 0),
      result("worse", false, 0.5, List.of(outcome("contains", false), outcome("cites", true)), 1, 0),
      result("gone", true, 1, List.of(), 1, 1)));
  final EvalRun after = run("r2", List.of(
      result("stays", true, 1, List.of(outcome("contains", true)), 1, 1),
      result("breaks", false, 0.5, List.of(outcome("contains", true), outcome("cites", false)), 1, 0),
      result("heals", true, 1, List.of(outcome("contains", true)), 1, 1),
      result("worse", false, 0.0, List.of(outcome("contains", false), outcome("cites", false)), 1, 0),
      result("fresh", false, 0, List.of(), 3, 2)));

  @Test
  void comparisonClassifiesEveryCaseAndAssertion() {
    RunComparison d = RunComparison.compare(before, after);
    Map<String, RunComparison.Status> status = new java.util.HashMap<>();
    for (var c : d.cases()) status.put(c.id(), c.status());
    assertThat(status).containsEntry("stays", RunComparison.Status.UNCHANGED).containsEntry("breaks", RunComparison.Status.REGRESSED)
        .containsEntry("heals", RunComparison.Status.IMPROVED).containsEntry("worse", RunComparison.Status.REGRESSED)
        .containsEntry("fresh", RunComparison.Status.NEW).containsEntry("gone", RunComparison.Status.REMOVED);
    assertThat(d.cases().stream().filter(c -> c.id().equals("breaks")).findFirst().orElseThrow().assertionChanges()).containsExactly("cites: pass -> fail");
    assertThat(d.regressed()).isTrue();
    assertThat(d.aggregates().keySet()).startsWith("pass_rate", "mean_score");
    assertThat(d.aggregates().get("pass_rate")).containsExactly(0.6, 0.4);
    assertThat(after.flaky()).isEqualTo(1);
  }

  @Test
  void junitXmlIsWellFormedWithOneTestcasePerCase() throws Exception {
    String xml = JunitReport.render(after);
    var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    Element suite = doc.getDocumentElement();
    assertThat(suite.getAttribute("tests")).isEqualTo("5");
    assertThat(suite.getAttribute("failures")).isEqualTo("3");
    assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(5);
    assertThat(((Element) doc.getElementsByTagName("failure").item(0)).getAttribute("message")).contains("cites failed <here>");
  }

  @Test
  void htmlIsSelfContainedWithChartsAndTheDiff() {
    String html = HtmlReport.render(after, RunComparison.compare(before, after));
    assertThat(html).contains("<svg", "Pass rate by tag", "Assertion failures by type", "Latency (ms)", "Cost per query", "Compared with r1",
        "regressed", "flaky");
    assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://", "https://", "<script", "<link");
    assertThat(html).contains("answer &amp; &quot;quotes&quot;").doesNotContain("\u0001");
    assertThat(HtmlReport.render(after, RunComparison.compare(after, after))).contains("No case changed.");
  }
}
