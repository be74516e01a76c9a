package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.app.ProjectConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's run command, end to end: demo, then search and ask in the demo folder. */
class DemoIT {
  @TempDir static Path dir;
  static Cli demo;

  @BeforeAll
  static void runDemo() {
    demo = Cli.run("demo", dir.toString());
  }

  @Test
  void demoSetsUpAProjectIngestsAndAnswers() throws Exception {
    assertThat(demo.code()).as(demo.err()).isZero();
    assertThat(dir.resolve("groundwork.yaml")).exists();
    assertThat(DemoCommand.corpusFiles()).hasSizeGreaterThanOrEqualTo(20).anyMatch(f -> f.endsWith(".pdf"))
        .anyMatch(f -> f.endsWith(".html")).anyMatch(f -> f.endsWith(".md")).anyMatch(f -> f.endsWith(".txt"));
    for (String f : DemoCommand.corpusFiles()) assertThat(dir.resolve("docs").resolve(f)).isRegularFile();
    assertThat(demo.out()).contains("ingested 23 files", "23 added")
        .contains("The default visibility timeout is 30 seconds. [1]")
        .contains("Q: What is the boiling point of mercury?\nThe documents do not contain an answer to this question.");
    assertThat(demo.err()).contains("ingest").contains("files/s"); // the progress bar with its rate
    if (System.getenv("OPENAI_API_KEY") == null && System.getenv("OPENAI_BASE_URL") == null) {
      // offline, the route's strong model cannot be reached: the demo says how to run it
      assertThat(demo.out()).contains("Route support (extractive -> openai:gpt-4.1-mini): set OPENAI_API_KEY")
          .contains("--model route:support").doesNotContain("Running the suite through route:support");
    }
  }

  @Test
  void withItsStrongModelReachableTheDemoRunsTheSuiteThroughItsRoute(@TempDir Path other) throws Exception {
    try (var llm = new dev.groundwork.testkit.FakeOpenAiServer()) {
      // the demo's own configuration, its OpenAI endpoint a local stand-in for gpt-4.1-mini
      String yaml = ProjectConfig.template().replace("  openai: {}", "  openai: {base_url: \"" + llm.baseUrl() + "\", api_key: \"k\"}")
          + DemoCommand.ROUTE;
      assertThat(yaml).contains(llm.baseUrl());
      Files.writeString(other.resolve("groundwork.yaml"), yaml);
      Cli routed = Cli.run("demo", other.toString());
      System.out.println(routed.out()); // the README's route figures come from this output
      assertThat(routed.code()).as(routed.err()).isZero();
      String out = routed.out();
      assertThat(out).contains("Running the suite through route:support (extractive -> openai:gpt-4.1-mini):");
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("escalated (\\d+) of 57").matcher(out);
      assertThat(m.find()).as(out).isTrue();
      int escalated = Integer.parseInt(m.group(1));
      // the extractive answerer keeps most answers; the escalated ones are exactly the strong model's calls
      assertThat(escalated).isPositive().isLessThan(57);
      assertThat(llm.requests()).hasSize(escalated);
      assertThat(out).containsPattern("answered by extractive +" + (57 - escalated) + " ")
          .containsPattern("answered by openai:gpt-4.1-mini +" + escalated + " ")
          .containsPattern("cost \\$0\\.\\d{6} in all");
    }
  }

  @Test
  void theDemosFollowUpConversationsPassAndTheRuleIsWhatMakesThemPass() {
    assertThat(dir.resolve("conversations/followups.yaml")).isRegularFile();
    Cli e = Cli.run("eval", "-C", dir.toString(), "conversations/followups.yaml");
    assertThat(e.code()).as(e.out() + e.err()).isZero();
    Cli b = Cli.run("bench", "conversations", "-C", dir.toString(), "conversations/followups.yaml", "--json");
    assertThat(b.code()).as(b.err()).isZero();
    JsonNode m = b.lastLineJson().path("methods");
    assertThat(m.get(1).path("recall").asDouble()).as("rule").isGreaterThan(m.get(0).path("recall").asDouble());
  }

  @Test
  void askJsonHasTheDocumentedShapeAndCitationsMapToSources() {
    Cli ask = Cli.run("ask", "-C", dir.toString(), "--json", "How many attempts does a job get before the dead-letter queue?");
    assertThat(ask.code()).as(ask.err()).isZero();
    JsonNode j = ask.json();
    assertThat(j.get("answer").asText()).containsAnyOf("5 attempts", "(default 5)").contains("[");
    assertThat(j.get("refused").asBoolean()).isFalse();
    assertThat(j.get("model").asText()).isEqualTo("extractive");
    assertThat(j.get("retrieved")).hasSize(8);
    assertThat(j.get("retrieved").get(0).get("score").isNumber()).isTrue();
    assertThat(j.get("usage").get("embedding_tokens").asLong()).isPositive();
    assertThat(j.get("cost_usd").asDouble()).isZero();
    assertThat(j.get("latency_ms").asLong()).isNotNegative();
    JsonNode c = j.get("citations").get(0);
    assertThat(c.get("source").asText()).isIn("docs/concepts/jobs-and-retries.md", "docs/reference/configuration.md");
    assertThat(c.get("text").asText()).containsAnyOf("5 attempts", "(default 5)");
    String chunkId = c.get("chunk_id").asText();
    boolean retrieved = false;
    for (JsonNode r : j.get("retrieved")) retrieved |= r.get("chunk_id").asText().equals(chunkId);
    assertThat(retrieved).as("cited chunk is among the retrieved").isTrue();
    assertThat(j.get("answer").asText()).contains("[" + c.get("n").asInt() + "]");
  }

  @Test
  void unanswerableQuestionsAreRefusedWithoutCitations() {
    JsonNode j = Cli.run("ask", "-C", dir.toString(), "--json", "Who won the 1998 football world cup?").json();
    assertThat(j.get("refused").asBoolean()).isTrue();
    assertThat(j.get("citations")).isEmpty();
  }

  @Test
  void searchWorksInEveryModeWithFiltersAndKeepsTheRequestedK() {
    for (String mode : new String[] {"bm25", "dense", "hybrid"}) {
      Cli s = Cli.run("search", "-C", dir.toString(), "--json", "--mode", mode, "--k", "3", "service credit against the next invoice as a share of the monthly fee");
      assertThat(s.code()).as(s.err()).isZero();
      JsonNode hits = s.json().get("hits");
      assertThat(hits).hasSizeLessThanOrEqualTo(3).isNotEmpty();
      assertThat(hits.get(0).get("source").asText()).as(mode).isEqualTo("docs/cloud-sla.pdf");
      assertThat(hits.get(0).get("page").asInt()).as(mode).isEqualTo(2);
    }
    JsonNode filtered = Cli.run("search", "-C", dir.toString(), "--json", "--filter", "source=docs/concepts/*", "retries").json().get("hits");
    assertThat(filtered).isNotEmpty().allMatch(h -> h.get("source").asText().startsWith("docs/concepts/"));
    Cli text = Cli.run("search", "-C", dir.toString(), "visibility timeout");
    assertThat(text.out()).contains("  1  ").contains("docs/concepts/visibility-timeout.md");
  }

  @Test
  void longDocumentsAnswerWithWholeSectionsThroughAutoMerge() {
    JsonNode hits = Cli.run("search", "-C", dir.toString(), "--json", "--k", "8",
        "backups: taking backups from a follower, restoring with tidewaterd restore, testing restores monthly").json().get("hits");
    boolean merged = false;
    for (JsonNode h : hits) merged |= h.get("merged").asBoolean() && h.get("source").asText().equals("docs/operations-guide.md");
    assertThat(merged).as("a merged operations-guide section among %s", hits).isTrue();
  }

  @Test
  void badArgumentsAreUsageErrors() {
    assertThat(Cli.run("ask", "-C", dir.toString(), "--k", "51", "q").code()).isEqualTo(Main.USAGE);
    Cli bad = Cli.run("search", "-C", dir.toString(), "--mode", "fuzzy", "q");
    assertThat(bad.code()).isEqualTo(Main.USAGE);
    assertThat(bad.err()).contains("unknown search mode 'fuzzy'; accepted: bm25, dense, hybrid");
    assertThat(Cli.run("search", "-C", dir.toString(), "--filter", "colour=red", "q").err()).contains("unknown filter field 'colour'");
    assertThat(Cli.run("frobnicate").code()).isEqualTo(Main.USAGE);
  }

  @Test
  void rerunningTheDemoIsIncremental() {
    Cli again = Cli.run("demo", dir.toString());
    assertThat(again.code()).isZero();
    assertThat(again.out()).contains("using the existing").contains("0 added, 0 updated, 23 unchanged");
  }

  @Test
  void askWithoutAnIndexExplainsWhatToDo() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty-project"));
    Cli c = Cli.run("ask", "-C", empty.toString(), "anything");
    assertThat(c.code()).isEqualTo(Main.USAGE);
    assertThat(c.err()).contains("no index").contains("groundwork ingest");
  }
}
