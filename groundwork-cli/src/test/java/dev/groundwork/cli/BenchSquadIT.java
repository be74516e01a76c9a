package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchSquadIT {
  @TempDir Path dir;

  static final String TINY = """
      {"version": "1.1", "data": [
        {"title": "Lighthouses", "paragraphs": [{"context": "The Eddystone Lighthouse stands on rocks south of Plymouth. Its current tower was designed by James Douglass and first lit in 1882.",
          "qas": [{"id": "a1", "question": "Who designed the current Eddystone Lighthouse tower?", "answers": [{"text": "James Douglass", "answer_start": 92}]},
                  {"id": "a2", "question": "When was the current Eddystone tower first lit?", "answers": [{"text": "1882", "answer_start": 125}]}]}]},
        {"title": "Volcanoes", "paragraphs": [{"context": "Mauna Loa on the island of Hawaii is the largest active volcano on Earth by volume.",
          "qas": [{"id": "b1", "question": "Which volcano is the largest active volcano by volume?", "answers": [{"text": "Mauna Loa", "answer_start": 0}]}]}]},
        {"title": "Cheese", "paragraphs": [{"context": "Roquefort is a blue cheese made from sheep milk in southern France.",
          "qas": [{"id": "c1", "question": "What kind of milk is Roquefort made from?", "answers": [{"text": "sheep milk", "answer_start": 40}]}]}]}
      ]}
      """;

  @Test
  void reportsTheFiguresAsATableAndOneJsonLine() throws Exception {
    Path file = dir.resolve("tiny.json");
    Files.writeString(file, TINY);
    Cli c = Cli.run("bench", "squad", "-C", dir.toString(), "--dataset", file.toString(), "--articles", "2", "--seed", "3",
        "--per-article", "5", "--unanswerable", "5", "--json");
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(c.out()).contains("containment", "citation accuracy", "false answers");
    JsonNode j = c.lastLineJson();
    assertThat(j.get("articles").asInt()).isEqualTo(2);
    assertThat(j.get("answerable").asInt() + j.get("unanswerable").asInt()).isEqualTo(j.get("questions").asInt());
    assertThat(j.get("unanswerable").asInt()).isPositive();
    for (String f : new String[] {"containment", "citation_accuracy", "refusal_rate", "false_answer_rate", "hit_at_k"}) {
      assertThat(j.get(f).asDouble()).as(f).isBetween(0.0, 1.0);
    }
    assertThat(j.get("hit_at_k").asDouble()).isEqualTo(1.0); // two or three paragraphs: retrieval cannot miss
    // the unanswerable questions come from articles that were not ingested: the extractive default refuses most
    assertThat(j.get("refusal_rate").asDouble()).isGreaterThanOrEqualTo(0.6);
    assertThat(j.get("seconds").asDouble()).isPositive();
  }

  @Test
  void aLanguageModelCanBeBenchmarkedToo() throws Exception {
    Path file = dir.resolve("tiny.json");
    Files.writeString(file, TINY);
    try (dev.groundwork.testkit.FakeOpenAiServer openai = new dev.groundwork.testkit.FakeOpenAiServer()) {
      Cli c = Cli.run("bench", "squad", "-C", dir.toString(), "--dataset", file.toString(), "--articles", "2", "--seed", "3",
          "--per-article", "5", "--unanswerable", "5", "--model", "openai:gpt-4.1-mini", "--base-url", openai.baseUrl(), "--api-key", "k", "--json");
      assertThat(c.code()).as(c.err()).isZero();
      assertThat(openai.requests()).isNotEmpty(); // every question went to the model
      JsonNode j = c.lastLineJson();
      // the fake quotes source [1] and cites it: a retrieved answer paragraph contains its gold answer
      assertThat(j.get("containment").asDouble()).isPositive();
    }
  }

  @Test
  void badArgumentsAreUsageErrors() throws Exception {
    Path file = dir.resolve("tiny.json");
    Files.writeString(file, TINY);
    assertThat(Cli.run("bench", "squad", "-C", dir.toString(), "--dataset", file.toString(), "--articles", "3").err()).contains("--articles must be in 1..2");
    Files.writeString(dir.resolve("bad.json"), "{\"data\": 5}");
    Cli bad = Cli.run("bench", "squad", "-C", dir.toString(), "--dataset", dir.resolve("bad.json").toString());
    assertThat(bad.code()).isEqualTo(Main.USAGE);
    assertThat(bad.err()).contains("not a SQuAD file");
  }

  /** The real dev set, 3 articles: the extractive default must stay grounded. Skips without ../shared, except in CI. */
  @Test
  void squadSampleMeetsTheGroundingBar() {
    Path shared = Cli.sharedData();
    if (System.getenv("CI") == null) assumeTrue(shared != null, "../shared/data not found; skipping the SQuAD sample");
    assertThat(shared).as("CI must have ../shared/data").isNotNull();
    Cli c = Cli.run("bench", "squad", "-C", dir.toString(), "--dataset", shared.resolve("squad-v1.1/dev-v1.1.json").toString(),
        "--articles", "3", "--seed", "11", "--per-article", "20", "--unanswerable", "40", "--json");
    assertThat(c.code()).as(c.err()).isZero();
    JsonNode j = c.lastLineJson();
    assertThat(j.get("containment").asDouble()).isGreaterThan(0.5);
    assertThat(j.get("citation_accuracy").asDouble()).isGreaterThan(0.8);
    assertThat(j.get("false_answer_rate").asDouble()).isLessThan(0.2);
  }
}
