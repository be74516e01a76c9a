package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `groundwork eval` on the demo project: the shipped suite, stored runs, exit codes, malformed suites. */
class EvalIT {
  @TempDir static Path dir;

  @BeforeAll
  static void demo() {
    assertThat(Cli.run("demo", dir.toString()).code()).isZero();
  }

  @Test
  void theShippedSuiteHasFiftyCasesOfEveryKindAndPasses() throws Exception {
    Cli c = Cli.run("eval", "-C", dir.toString(), "--json");
    assertThat(c.code()).as(c.err()).isZero();
    JsonNode run = c.json().get("run");
    assertThat(run.get("format").asText()).isEqualTo("groundwork-eval-run");
    JsonNode cases = run.get("cases");
    assertThat(cases.size()).isGreaterThanOrEqualTo(50);
    long unanswerable = 0, longDoc = 0, multi = 0, pdf = 0, passed = 0;
    for (JsonNode cs : cases) {
      String tags = cs.get("tags").toString();
      unanswerable += tags.contains("unanswerable") ? 1 : 0;
      longDoc += tags.contains("long-document") ? 1 : 0;
      multi += tags.contains("multi-source") ? 1 : 0;
      pdf += tags.contains("pdf") ? 1 : 0;
      passed += cs.get("passed").asBoolean() ? 1 : 0;
      if (tags.contains("unanswerable")) assertThat(cs.get("passed").asBoolean()).as(cs.get("id").asText()).isTrue();
    }
    assertThat(unanswerable).isGreaterThanOrEqualTo(5);
    assertThat(longDoc).isGreaterThanOrEqualTo(5);
    assertThat(multi).isPositive();
    assertThat(pdf).isPositive();
    assertThat((double) passed / cases.size()).isGreaterThanOrEqualTo(run.get("minPassRate").asDouble());
    assertThat(run.get("fingerprint").get("embedder").asText()).isEqualTo("bge-small-en-v1.5-q");
    assertThat(run.get("fingerprint").has("git_commit")).isFalse(); // the temp folder is no git repository
    try (Stream<Path> runs = Files.list(dir.resolve(".groundwork/runs"))) {
      assertThat(runs.filter(p -> p.toString().endsWith(".json"))).isNotEmpty();
    }
  }

  @Test
  void aSuiteBelowItsPassRateFailsWithExitCode1() throws Exception {
    Path s = dir.resolve("strict.yaml");
    Files.writeString(s, """
        cases:
          - {id: wrong-fact, question: "What is the default visibility timeout?", assert: [{type: contains, value: 45 seconds}]}
          - {id: right-fact, question: "What is the default visibility timeout?", assert: [{type: contains, value: 30 seconds}]}
        """);
    Cli c = Cli.run("eval", "-C", dir.toString(), "--report", "json", s.toString());
    assertThat(c.code()).isEqualTo(Main.FAILED_CHECKS);
    assertThat(c.err()).containsPattern("report: .*\\.json");
    assertThat(c.out()).contains("FAIL wrong-fact", "expected the answer to contain \"45 seconds\"", "ok   right-fact", "pass rate 50.0%");
  }

  @Test
  void aMalformedSuiteFailsBeforeAnythingRuns() throws Exception {
    Path s = dir.resolve("bad.yaml");
    Files.writeString(s, "cases:\n  - id: x\n    question: q\n    assert: [{type: contains, valeu: 3}]\n");
    Cli c = Cli.run("eval", "-C", dir.toString(), s.toString());
    assertThat(c.code()).isEqualTo(Main.USAGE);
    assertThat(c.err()).contains("bad.yaml: unknown key 'cases[id=x].assert[0].valeu'");
  }

  @Test
  void aRegressionAgainstTheBaselineFailsAndCompareExplainsIt() throws Exception {
    Path project = dir.resolve("regress");
    Files.createDirectories(project.resolve("docs"));
    Files.writeString(project.resolve("docs/a.md"), "# Alpha\n\nThe alpha service listens on port 4242.\n");
    Files.writeString(project.resolve("suite.yaml"), """
        cases:
          - {id: port, question: "Which port does the alpha service listen on?", assert: [{type: contains, value: "4242"}]}
          - {id: off-topic, question: "Who painted the Mona Lisa?", assert: [{type: refuses}]}
        """);
    assertThat(Cli.run("ingest", "-C", project.toString(), "docs").code()).isZero();
    new ProcessBuilder("git", "init", "-q", project.toString()).start().waitFor();
    new ProcessBuilder("git", "-C", project.toString(), "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "x")
        .start().waitFor();
    Cli first = Cli.run("eval", "-C", project.toString(), "--repeat", "2", "--report", "html,junit", "suite.yaml");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).contains("[2/2 passed]");
    try (Stream<Path> stored = Files.list(project.resolve(".groundwork/runs"))) {
      String runJson = Files.readString(stored.findFirst().orElseThrow());
      assertThat(runJson).containsPattern("\"git_commit\" : \"[0-9a-f]{40}\"");
    }
    try (Stream<Path> reports = Files.list(project.resolve(".groundwork/reports"))) {
      assertThat(reports.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".html")).anyMatch(n -> n.endsWith(".xml"));
    }
    // a change that makes the answerer refuse everything: the port case regresses
    Files.writeString(project.resolve("groundwork.yaml"), "answer:\n  min_evidence: 1.0\n");
    Files.writeString(project.resolve("docs/a.md"), "# Alpha\n\nThe alpha service listens on a port.\n");
    assertThat(Cli.run("ingest", "-C", project.toString(), "docs").code()).isZero();
    Cli second = Cli.run("eval", "-C", project.toString(), "--baseline", "last", "suite.yaml");
    assertThat(second.code()).isEqualTo(Main.FAILED_CHECKS);
    assertThat(second.out()).contains("regressed  port", "contains: pass -> fail", "1 regressed");

    List<String> runs;
    try (Stream<Path> s = Files.list(project.resolve(".groundwork/runs"))) {
      runs = s.map(p -> p.getFileName().toString().replace(".json", "")).sorted().toList();
    }
    Cli compare = Cli.run("eval", "compare", "-C", project.toString(), "--json", runs.get(0), runs.get(1));
    assertThat(compare.code()).isEqualTo(Main.FAILED_CHECKS);
    assertThat(compare.json().get("cases").toString()).contains("REGRESSED");
    assertThat(Cli.run("eval", "compare", "-C", project.toString(), runs.get(1), runs.get(1)).code()).isZero();
  }
}
