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
        {"title": "Lighthouses", "paragraphs": [{"context": "The current Eddystone Lighthouse tower, on rocks south of Plymouth, was designed by James Douglass and first lit in 1882.",
          "qas": [{"id": "a1", "question": "Who designed the current Eddystone Lighthouse tower?", "answers": [{"text": "James Douglass", "answer_start": 84}]},
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

  static final String TINY_V2 = """
      {"version": "v2.0", "data": [
        {"title": "Lighthouses", "paragraphs": [{"context": "The current Eddystone Lighthouse tower, on rocks south of Plymouth, was designed by James Douglass and first lit in 1882.",
          "qas": [{"id": "a1", "question": "Who designed the current Eddystone Lighthouse tower?", "answers": [{"text": "James Douglass", "answer_start": 84}], "is_impossible": false},
                  {"id": "a2", "question": "Who did not design the current Eddystone Lighthouse tower?", "answers": [], "is_impossible": true,
                   "plausible_answers": [{"text": "James Douglass", "answer_start": 84}]}]}]},
        {"title": "Volcanoes", "paragraphs": [{"context": "Mauna Loa on the island of Hawaii is the largest active volcano on Earth by volume.",
          "qas": [{"id": "b1", "question": "Which volcano is the largest active volcano by volume?", "answers": [{"text": "Mauna Loa", "answer_start": 0}], "is_impossible": false},
                  {"id": "b2", "question": "Which volcano is not the largest active volcano by volume?", "answers": [], "is_impossible": true,
                   "plausible_answers": [{"text": "Mauna Loa", "answer_start": 0}]}]}]}
      ]}
      """;

  @Test
  void squad2ReportsSameParagraphApartFromOffTopicWithTheCurve() throws Exception {
    Path file = dir.resolve("tiny2.json");
    Files.writeString(file, TINY_V2);
    Path html = dir.resolve("squad.html");
    Cli c = Cli.run("bench", "squad", "-C", dir.toString(), "--dataset", file.toString(), "--split", "report", "--html", html.toString(), "--json");
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(c.out()).contains("false answers, same-paragraph", "false answers, off-topic", "risk-coverage", "NoAns accuracy");
    JsonNode j = c.lastLineJson();
    // one article ingested (the report half), its two questions asked, the other article's two asked as off-topic
    assertThat(j.get("articles")).hasSize(1);
    assertThat(j.get("answerable").asInt()).isEqualTo(1);
    assertThat(j.get("unanswerable_same_paragraph").asInt()).isEqualTo(1);
    assertThat(j.get("off_topic").asInt()).isEqualTo(2);
    for (String f : new String[] {"false_answer_rate_same_paragraph", "false_answer_rate_off_topic", "containment", "over_refusal",
        "citation_accuracy", "has_ans_f1", "no_ans_accuracy"}) {
      assertThat(j.get(f).isNumber()).as(f).isTrue();
    }
    assertThat(j.get("no_ans_accuracy").asDouble()).isEqualTo(1 - j.get("false_answer_rate_same_paragraph").asDouble());
    // the curve: raising the threshold never answers more
    JsonNode curve = j.get("curve");
    assertThat(curve).hasSize(21);
    for (int i = 1; i < curve.size(); i++) {
      assertThat(curve.get(i).get("containment").asDouble()).isLessThanOrEqualTo(curve.get(i - 1).get("containment").asDouble());
      assertThat(curve.get(i).get("false_answer_rate_same_paragraph").asDouble())
          .isLessThanOrEqualTo(curve.get(i - 1).get("false_answer_rate_same_paragraph").asDouble());
    }
    assertThat(curve.get(20).get("containment").asDouble()).isZero(); // threshold 1 refuses everything
    assertThat(Files.readString(html)).contains("<svg", "polyline", "Risk-coverage");
  }

  @Test
  void fittingTheAnswerabilityModelIsOnlyAllowedOnTheTuningArticles() throws Exception {
    Path file = dir.resolve("tiny2.json");
    Files.writeString(file, TINY_V2);
    Cli refused = Cli.run("bench", "squad", "-C", dir.toString(), "--dataset", file.toString(), "--split", "report", "--fit-answerability",
        dir.resolve("m.model").toString());
    assertThat(refused.code()).isEqualTo(Main.USAGE);
    assertThat(refused.err()).contains("--split tune");
    assertThat(dir.resolve("m.model")).doesNotExist();
    assertThat(Cli.run("bench", "squad", "-C", dir.toString(), "--dataset", file.toString(), "--split", "sideways").err())
        .contains("--split must be tune, report or all");

    Path model = dir.resolve("m.model");
    Path rows = dir.resolve("rows.tsv");
    Cli fit = Cli.run("bench", "squad", "-C", dir.toString(), "--dataset", file.toString(), "--split", "tune", "--fit-answerability", model.toString(),
        "--features-out", rows.toString());
    assertThat(fit.code()).as(fit.err()).isZero();
    String tuned = dev.groundwork.bench.SquadV2Benchmark.tuneArticles(dev.groundwork.bench.SquadDataset.read(file)).get(0).title();
    assertThat(Files.readString(model)).contains("tuning articles [" + tuned + "]", "bias ");
    assertThat(Files.readAllLines(rows).get(0)).startsWith("article\tid\tlabel\tmiss_sentence");
    assertThat(Files.readAllLines(rows)).hasSize(3).allMatch(l -> l.startsWith("article") || l.startsWith(tuned));
  }

  @Test
  void aProjectCanUseItsOwnAnswerabilityModelAndABadOneIsNamed() throws Exception {
    Files.createDirectories(dir.resolve("docs"));
    Files.writeString(dir.resolve("docs/light.md"), "# Lighthouses\n\nThe current Eddystone tower was designed by James Douglass and first lit in 1882.\n");
    assertThat(Cli.run("ingest", "-C", dir.toString(), "docs").code()).isZero();
    // a model that never trusts the evidence: every answer becomes a refusal that names what is missing
    StringBuilder m = new StringBuilder("# refuses everything\n");
    for (String f : dev.groundwork.core.answer.Answerability.FEATURES) m.append(f).append(" 0 1 0\n");
    Files.writeString(dir.resolve("never.model"), m + "bias -20\n");
    Files.writeString(dir.resolve("groundwork.yaml"), "answer: {answerability_model: never.model}\n");
    Cli c = Cli.run("ask", "-C", dir.toString(), "--json", "Who designed the current Eddystone tower?");
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(c.json().path("refused").asBoolean()).isTrue();
    assertThat(c.json().path("verification").path("verifier").asText()).isEqualTo("answerability");
    Files.writeString(dir.resolve("groundwork.yaml"), "answer: {answerability_model: never.model, min_answerability: 0}\n");
    assertThat(Cli.run("ask", "-C", dir.toString(), "--json", "Who designed the current Eddystone tower?").json().path("answer").asText())
        .contains("James Douglass");

    Files.writeString(dir.resolve("bad.model"), "miss_sentence 0 zero 1\nbias 0\n");
    Files.writeString(dir.resolve("groundwork.yaml"), "answer: {answerability_model: bad.model}\n");
    Cli bad = Cli.run("ask", "-C", dir.toString(), "Who designed the current Eddystone tower?");
    assertThat(bad.code()).isEqualTo(Main.USAGE);
    assertThat(bad.err()).contains("answer.answerability_model", "bad.model:1");
    Files.writeString(dir.resolve("groundwork.yaml"), "answer: {answerability_model: missing.model}\n");
    assertThat(Cli.run("ask", "-C", dir.toString(), "Who designed the current Eddystone tower?").err()).contains("cannot read", "missing.model");
  }

  /**
   * The six shared SQuAD 2.0 articles: the answerability model is fitted on the tuning half, and on the
   * report half (never used to choose anything) it must refuse far more of the questions written to
   * look answerable while keeping containment at the target. Skips without ../shared, except in CI.
   */
  @Test
  void squad2HeldOutArticlesRefuseLookAlikeQuestionsAndKeepContainment() {
    Path shared = Cli.sharedData();
    if (System.getenv("CI") == null) assumeTrue(shared != null, "../shared/data not found; skipping the SQuAD 2.0 articles");
    assertThat(shared).as("CI must have ../shared/data").isNotNull();
    Cli c = Cli.run("bench", "squad", "-C", dir.toString(), "--dataset", shared.resolve("squad-v2.0/dev-v2.0-6articles.json").toString(),
        "--split", "report", "--json");
    assertThat(c.code()).as(c.err()).isZero();
    JsonNode j = c.lastLineJson();
    double unchecked = j.get("curve").get(0).get("false_answer_rate_same_paragraph").asDouble();
    assertThat(j.get("false_answer_rate_same_paragraph").asDouble()).as("with the check vs without").isLessThan(unchecked - 0.2);
    assertThat(j.get("containment").asDouble()).isGreaterThanOrEqualTo(0.65);
    assertThat(j.get("false_answer_rate_off_topic").asDouble()).isLessThanOrEqualTo(0.05);
    assertThat(j.get("citation_accuracy").asDouble()).isGreaterThan(0.9);
  }
}
