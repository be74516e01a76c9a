package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchRouterIT {
  @TempDir Path dir;

  /**
   * Routing outcomes where the words carry the signal: "proof" prompts defeat the small model, "lookup"
   * prompts both answer. With {@code invert} it is the other way round: the small model fails the
   * lookups and solves the proofs (a test split the router cannot have seen).
   */
  private Path outcomes(String name, int n, long seed, boolean invert) throws Exception {
    Random r = new Random(seed);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      boolean hard = r.nextBoolean();
      double small = hard != invert ? 0 : 1, big = 1;
      b.append(String.format(java.util.Locale.ROOT, "{\"id\": \"%s%d\", \"prompt\": \"%s item %d\", \"scores\": {\"small\": %s, \"big\": %s}}%n",
          name, i, hard ? "write the proof for" : "lookup the value of", r.nextInt(50), small, big));
    }
    Path f = dir.resolve(name + ".jsonl");
    Files.writeString(f, b);
    return f;
  }

  @Test
  void reportsTheRouterBesideRandomAndOracleAndChoosesOnTrainOnly() throws Exception {
    Path train = outcomes("train", 300, 1, false);
    Path html = dir.resolve("router.html");
    Cli c = Cli.run("bench", "router", "--train", train.toString(), "--test", outcomes("test", 200, 2, false).toString(), "--html", html.toString(), "--json");
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(c.out()).contains("APGR", "CPT50", "random", "oracle", "strong share", "<- chosen");
    JsonNode j = c.lastLineJson();
    assertThat(j.get("weak").asText()).isEqualTo("small");
    assertThat(j.get("strong").asText()).isEqualTo("big");
    assertThat(j.get("n_train").asInt()).isEqualTo(300);
    assertThat(j.get("n_test").asInt()).isEqualTo(200);
    double apgr = j.get("router").get("apgr").asDouble(), random = j.get("random").get("apgr").asDouble(), oracle = j.get("oracle").get("apgr").asDouble();
    assertThat(apgr).isGreaterThan(random + 0.8 * (oracle - random));
    assertThat(j.get("router").get("cpt50").asDouble()).isBetween(0.0, 1.0);
    assertThat(j.get("curve")).hasSize(21);
    assertThat(j.get("score_p99_us").asDouble()).isPositive().isGreaterThanOrEqualTo(j.get("score_p50_us").asDouble());
    assertThat(j.get("curve").get(0).get("strong_share").asDouble()).isZero();
    assertThat(Files.readString(html)).contains("<svg", "polyline", "oracle", "APGR");

    // a test split with the opposite labels: the router is worse there, but what was chosen (and its
    // cross-validated score) is the same, because the test split is never used to choose
    Cli flipped = Cli.run("bench", "router", "--train", train.toString(), "--test", outcomes("flipped", 200, 2, true).toString(),
        "--weak", "small", "--strong", "big", "--json");
    assertThat(flipped.code()).as(flipped.err()).isZero();
    JsonNode f = flipped.lastLineJson();
    assertThat(f.get("router").get("chosen")).isEqualTo(j.get("router").get("chosen"));
    assertThat(f.get("router").get("cv_apgr")).isEqualTo(j.get("router").get("cv_apgr"));
    assertThat(f.get("router").get("apgr").asDouble()).isLessThan(0.5);
  }

  @Test
  void withEmbedTheProjectsEmbedderOffersThePromptsEmbeddingsCachedByContent() throws Exception {
    Path data = outcomes("emb", 200, 5, false);
    Path project = Files.createDirectories(dir.resolve("project"));
    Cli first = Cli.run("bench", "router", "-C", project.toString(), "--data", data.toString(), "--embed", "--json");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.err()).containsPattern("embedded [0-9]+ prompts with bge-small-en-v1.5-q");
    // cross-validation saw the embedding variants beside the others, and chose by its own figures
    JsonNode cv = first.lastLineJson().path("router").path("cv_apgr");
    List<String> names = new ArrayList<>();
    cv.fieldNames().forEachRemaining(names::add);
    assertThat(names).anyMatch(n -> n.contains("+embedding")).anyMatch(n -> !n.contains("+embedding"));
    String chosen = first.lastLineJson().path("router").path("chosen").asText();
    double best = 0;
    for (String n : names) best = Math.max(best, cv.path(n).asDouble());
    assertThat(cv.path(chosen).asDouble()).isEqualTo(best);
    // the embeddings were kept by content: the second run embeds nothing and routes the same
    try (var cached = Files.list(project.resolve(".groundwork/cache"))) {
      assertThat(cached.toList()).isNotEmpty();
    }
    Cli second = Cli.run("bench", "router", "-C", project.toString(), "--data", data.toString(), "--embed", "--json");
    assertThat(second.lastLineJson().path("router").path("apgr").asDouble()).isEqualTo(first.lastLineJson().path("router").path("apgr").asDouble());
  }

  @Test
  void oneSetIsSplitBySeedAndBadInputIsNamed() throws Exception {
    Path data = outcomes("all", 200, 4, false);
    Cli c = Cli.run("bench", "router", "--data", data.toString(), "--test-share", "0.25", "--seed", "11", "--json");
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(c.lastLineJson().get("n_test").asInt()).isEqualTo(50);
    assertThat(c.lastLineJson().get("n_train").asInt()).isEqualTo(150);
    Path exclude = dir.resolve("drop.jsonl");
    Files.writeString(exclude, "{\"eval_prompt\": \"write the proof for item 7\"}\n");
    long listed = Files.readAllLines(data).stream().filter(l -> l.contains("\"write the proof for item 7\"")).count();
    Cli dropped = Cli.run("bench", "router", "--data", data.toString(), "--exclude", exclude.toString(), "--json");
    assertThat(dropped.lastLineJson().get("excluded").asInt()).isEqualTo((int) listed);

    Cli unknown = Cli.run("bench", "router", "--data", data.toString(), "--weak", "medium");
    assertThat(unknown.code()).isEqualTo(Main.USAGE);
    assertThat(unknown.err()).contains("no model \"medium\"", "small", "big");
    Cli both = Cli.run("bench", "router", "--data", data.toString(), "--test", data.toString());
    assertThat(both.code()).isEqualTo(Main.USAGE);
    assertThat(both.err()).contains("either --data");
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, "{\"prompt\": \"p\", \"scores\": {\"small\": 1, \"big\": \"yes\"}}\n");
    Cli badFile = Cli.run("bench", "router", "--data", bad.toString());
    assertThat(badFile.code()).isEqualTo(Main.USAGE);
    assertThat(badFile.err()).contains("bad.jsonl:1", "scores.big");
  }

  @Test
  void withCostsItReportsTheFrontierAndTheCheapestWayTo95Percent() throws Exception {
    // three models: small is cheap and fails the proofs, medium fails half of them, big solves everything at 20x the price
    Random r = new Random(9);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      boolean hard = r.nextBoolean();
      double small = hard ? 0 : 1, medium = hard ? (i % 4 == 0 ? 1 : 0) : 1;
      b.append(String.format(java.util.Locale.ROOT, "{\"prompt\": \"%s %d\", \"scores\": {\"small\": %s, \"medium\": %s, \"big\": 1},"
          + " \"costs\": {\"small\": 0.0001, \"medium\": 0.0005, \"big\": 0.002}}%n", hard ? "write the proof for item" : "lookup the value of", i, small, medium));
    }
    Path data = dir.resolve("three.jsonl");
    Files.writeString(data, b);
    Cli c = Cli.run("bench", "router", "--data", data.toString(), "--max-cost", "0.0012", "--json");
    assertThat(c.code()).as(c.err()).isZero();
    JsonNode j = c.lastLineJson();
    assertThat(j.get("weak").asText()).isEqualTo("small");
    assertThat(j.get("strong").asText()).isEqualTo("big");
    assertThat(j.get("models").findValuesAsText("name")).containsExactly("small", "medium", "big");
    JsonNode frontier = j.get("frontier");
    for (int i = 1; i < frontier.size(); i++) {
      assertThat(frontier.get(i).get("cost_usd").asDouble()).isGreaterThan(frontier.get(i - 1).get("cost_usd").asDouble());
      assertThat(frontier.get(i).get("quality").asDouble()).isGreaterThan(frontier.get(i - 1).get("quality").asDouble());
    }
    assertThat(frontier.findValuesAsText("name")).contains("small").doesNotContain("medium"); // the router beats medium on both counts
    // the router reaches 95% of big's quality for much less than big costs
    assertThat(j.get("cost_at_95").asDouble()).isLessThan(0.002 * 0.75);
    assertThat(j.get("best_under_cost").get("cost_usd").asDouble()).isLessThanOrEqualTo(0.0012);
    assertThat(c.out()).contains("cost/quality frontier", "cheapest to reach 95%", "best quality at $0.001200 per query or less");
  }

  /** RouteLLM's GSM8K outcomes, 70/30 split with seed 11: the learned router must clearly beat random. Skips without ../shared, except in CI. */
  @Test
  void routeLlmGsm8kOutcomesGiveARouterAboveRandom() {
    Path shared = Cli.sharedData();
    if (System.getenv("CI") == null) assumeTrue(shared != null, "../shared/data not found; skipping the RouteLLM outcomes");
    assertThat(shared).as("CI must have ../shared/data").isNotNull();
    Cli c = Cli.run("bench", "router", "--data", shared.resolve("routellm/gsm8k").toString(), "--test-share", "0.3", "--seed", "11", "--json");
    assertThat(c.code()).as(c.err()).isZero();
    JsonNode j = c.lastLineJson();
    assertThat(j.get("n_test").asInt()).isEqualTo(396);
    assertThat(j.get("router").get("apgr").asDouble()).isGreaterThan(j.get("random").get("apgr").asDouble() + 0.08);
    assertThat(j.get("router").get("apgr").asDouble()).isLessThan(j.get("oracle").get("apgr").asDouble());
  }
}
