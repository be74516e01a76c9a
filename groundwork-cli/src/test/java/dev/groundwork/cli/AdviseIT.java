package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The advisor end to end on the labelled scenario projects (src/test/resources/advisor-scenarios,
 * written by tools/MakeAdvisorScenarios.java): `bench advise` names the right primary symptom in at
 * least 90% of them, and `advise` on one project prints the JSON shape.
 */
class AdviseIT {
  static final Path SCENARIOS = Path.of("src/test/resources/advisor-scenarios");
  @TempDir Path tmp;

  @Test
  void theAdvisorNamesThePrimarySymptomOfAtLeastNineInTenScenarios() throws Exception {
    Cli c = Cli.run("bench", "advise", "--scenarios", SCENARIOS.toString(), "--work", tmp.resolve("work").toString(), "--json");
    assertThat(c.code()).as(c.err()).isZero();
    JsonNode j = c.lastLineJson();
    assertThat(j.path("scenarios").size()).isEqualTo(24);
    assertThat(j.path("primary_accuracy").asDouble()).isGreaterThanOrEqualTo(0.9);
    // every family of the decision matrix the scenarios cover is measured
    assertThat(j.path("families").findValuesAsText("family")).contains("missing-knowledge", "retrieval-miss", "over-refusal", "format", "tone",
        "long-documents", "cost", "latency", "all");
    assertThat(c.out()).contains("01-missing-knowledge-1").contains("FAMILY");
    // the first tries it recommends fix at least 70% of the cases they target
    assertThat(j.path("recommended").asInt()).isPositive();
    assertThat(j.path("fix_rate").asDouble()).isGreaterThanOrEqualTo(0.7);
    assertThat(c.err()).contains("advise");
  }

  @Test
  void adviseReadsTheLatestRunAndPrintsTheSymptomsStrongestFirst() throws Exception {
    Path project = tmp.resolve("p");
    copy(SCENARIOS.resolve("23-mix-knowledge-format-1"), project);
    Cli none = Cli.run("advise", "-C", project.toString());
    assertThat(none.code()).as(none.err()).isZero();
    assertThat(none.out()).contains("no eval run");
    assertThat(Cli.run("ingest", "-C", project.toString(), "docs").code()).isZero();
    Cli eval = Cli.run("eval", "-C", project.toString(), "--report", "html");
    assertThat(eval.code()).isEqualTo(1); // the suite fails: that is what there is to advise on
    // the HTML report carries the advisor's section, with its chart
    Path report;
    try (Stream<Path> s = Files.list(project.resolve(".groundwork/reports"))) {
      report = s.filter(f -> f.toString().endsWith(".html")).findFirst().orElseThrow();
    }
    String html = Files.readString(report);
    assertThat(html).contains("<h2>What to fix next</h2>").contains("Share of cases by symptom").contains("missing-knowledge")
        .contains("don&apos;t fine-tune for facts");
    assertThat(html.substring(html.indexOf("What to fix next"))).contains("<svg");
    Cli advise = Cli.run("advise", "-C", project.toString(), "--json");
    assertThat(advise.code()).as(advise.err()).isZero();
    JsonNode a = advise.json();
    assertThat(a.path("run").asText()).endsWith("-lumen");
    JsonNode first = a.path("symptoms").get(0);
    assertThat(first.path("symptom").asText()).isEqualTo("missing-knowledge");
    for (String k : new String[] {"share", "cases", "evidence", "first_try", "fallback", "command"}) assertThat(first.has(k)).as(k).isTrue();
    assertThat(first.path("evidence").asText()).contains("is in no document");
    assertThat(first.path("command").asText()).isEqualTo("groundwork ingest PATH...");
    assertThat(a.path("symptoms").findValuesAsText("symptom")).contains("format");
    assertThat(a.path("notes").toString()).contains("don't fine-tune for facts");
    Cli text = Cli.run("advise", "-C", project.toString());
    assertThat(text.out()).containsPattern("missing-knowledge +[0-9.]+% +[0-9]+ +add the documents").contains("evidence:").contains("note: don't fine-tune");
    Cli badRun = Cli.run("advise", "-C", project.toString(), "--run", "no-such-run");
    assertThat(badRun.code()).isNotZero();
    assertThat(badRun.err()).contains("no run 'no-such-run'");
  }

  @Test
  void tryRunsTheFirstTryOnACopyAndApplyMakesItAVersionThatRollbackUndoes() throws Exception {
    Path project = tmp.resolve("refusing");
    copy(SCENARIOS.resolve("07-over-refusal-1"), project);
    String original = Files.readString(project.resolve("groundwork.yaml"));
    assertThat(Cli.run("ingest", "-C", project.toString(), "docs").code()).isZero();
    assertThat(Cli.run("eval", "-C", project.toString()).code()).isEqualTo(1);
    Cli tried = Cli.run("advise", "-C", project.toString(), "--try", "--json");
    assertThat(tried.code()).as(tried.err()).isZero();
    JsonNode t = tried.json().path("tries").get(0);
    assertThat(t.path("symptom").asText()).isEqualTo("over-refusal");
    assertThat(t.path("change").path("answer.min_answerability").asDouble()).isEqualTo(0.27);
    assertThat(t.path("pass_rate_before").asDouble()).isEqualTo(0.0);
    assertThat(t.path("pass_rate_after").asDouble()).isEqualTo(1.0);
    assertThat(t.path("fixed").size()).isEqualTo(8);
    assertThat(t.path("recommended").asBoolean()).isTrue();
    // --try alone never touches the live configuration
    assertThat(Files.readString(project.resolve("groundwork.yaml"))).isEqualTo(original);

    Cli applied = Cli.run("advise", "-C", project.toString(), "--try", "--apply");
    assertThat(applied.code()).as(applied.err()).isZero();
    assertThat(applied.out()).contains("RECOMMENDED").containsPattern("applied as config-[0-9a-f-]+: promoted");
    assertThat(Files.readString(project.resolve("groundwork.yaml"))).contains("min_answerability: 0.27");
    assertThat(Cli.run("eval", "-C", project.toString()).code()).isZero();
    Cli back = Cli.run("versions", "rollback", "config", "-C", project.toString());
    assertThat(back.code()).as(back.err()).isZero();
    assertThat(Files.readString(project.resolve("groundwork.yaml"))).isEqualTo(original);
    assertThat(Cli.run("advise", "-C", project.toString(), "--apply").err()).contains("--apply applies what --try recommends");
  }

  private static void copy(Path from, Path to) throws Exception {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(t);
        else Files.copy(p, t);
      }
    }
  }
}
