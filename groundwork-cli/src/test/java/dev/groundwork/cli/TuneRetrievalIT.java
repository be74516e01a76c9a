package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.app.LiveProject;
import dev.groundwork.app.Project;
import dev.groundwork.server.GroundworkServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `groundwork tune retrieval` end to end on real text and the real embedder: a project of 96 SQuAD
 * v1.1 paragraphs (one Markdown file each) with 192 of their questions as judgements. Skips without
 * ../shared, except in CI.
 */
class TuneRetrievalIT {
  @TempDir Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Writes the project: docs/, judge/queries.jsonl and judge/qrels/train.tsv; returns the first question. */
  private String fixture(Path squad) throws Exception {
    JsonNode data = JSON.readTree(squad.toFile()).get("data");
    Files.createDirectories(dir.resolve("docs"));
    Files.createDirectories(dir.resolve("judge/qrels"));
    StringBuilder queries = new StringBuilder(), qrels = new StringBuilder("query-id\tcorpus-id\tscore\n");
    int n = 0;
    String first = null;
    for (int a = 0; a < 48; a++) {
      JsonNode article = data.get(a);
      for (int p = 0; p < 2; p++) {
        JsonNode para = article.get("paragraphs").get(p);
        String name = "docs/article-" + a + "-" + p + ".md";
        Files.writeString(dir.resolve(name), "# " + article.get("title").asText().replace('_', ' ') + "\n\n" + para.get("context").asText() + "\n");
        for (int q = 0; q < 2; q++) {
          String question = para.get("qas").get(q).get("question").asText();
          if (first == null) first = question;
          n++;
          queries.append(JSON.writeValueAsString(Map.of("_id", "q" + n, "text", question))).append('\n');
          qrels.append("q").append(n).append('\t').append(name).append("\t1\n");
        }
      }
    }
    Files.writeString(dir.resolve("judge/queries.jsonl"), queries);
    Files.writeString(dir.resolve("judge/qrels/train.tsv"), qrels);
    assertThat(Cli.run("init", "-C", dir.toString()).code()).isZero();
    // dense retrieval, where the adapter's effect is not diluted by BM25
    Path yaml = dir.resolve("groundwork.yaml");
    String cfg = Files.readString(yaml);
    assertThat(cfg).contains("mode: hybrid");
    Files.writeString(yaml, cfg.replaceFirst("mode: hybrid", "mode: dense"));
    Cli ingest = Cli.run("ingest", "-C", dir.toString(), "docs");
    assertThat(ingest.code()).as(ingest.err()).isZero();
    return first;
  }

  private List<Double> scores(String question) {
    Cli s = Cli.run("search", "-C", dir.toString(), "--json", "--k", "5", question);
    assertThat(s.code()).as(s.err()).isZero();
    List<Double> out = new ArrayList<>();
    for (JsonNode h : s.json().get("hits")) out.add(h.get("score").asDouble());
    return out;
  }

  private int adapterVersions() {
    Cli l = Cli.run("versions", "list", "-C", dir.toString(), "--kind", "retrieval-adapter", "--json");
    assertThat(l.code()).as(l.err()).isZero();
    return l.json().get("versions").size();
  }

  @Test
  void trainsGatesPromotesAndRollsBackAnAdapter() throws Exception {
    Path shared = Cli.sharedData();
    if (System.getenv("CI") == null) assumeTrue(shared != null, "../shared/data not found; skipping the retrieval-adapter test");
    assertThat(shared).as("CI must have ../shared/data").isNotNull();
    String question = fixture(shared.resolve("squad-v1.1/dev-v1.1.json"));
    List<Double> before = scores(question);

    // bad input changes nothing: a document the index does not hold, too few questions, no source
    Files.createDirectories(dir.resolve("bad/qrels"));
    Files.writeString(dir.resolve("bad/queries.jsonl"), "{\"_id\": \"x\", \"text\": \"who?\"}\n");
    Files.writeString(dir.resolve("bad/qrels/train.tsv"), "query-id\tcorpus-id\tscore\nx\tdocs/missing.md\t1\n");
    Cli unknown = Cli.run("tune", "retrieval", "-C", dir.toString(), "--qrels", dir.resolve("bad").toString());
    assertThat(unknown.code()).isEqualTo(Main.USAGE);
    assertThat(unknown.err()).contains("docs/missing.md").contains("does not hold");
    Files.writeString(dir.resolve("bad/qrels/train.tsv"), "query-id\tcorpus-id\tscore\nx\tdocs/article-0-0.md\t1\n");
    Cli few = Cli.run("tune", "retrieval", "-C", dir.toString(), "--qrels", dir.resolve("bad").toString());
    assertThat(few.code()).isEqualTo(Main.USAGE);
    assertThat(few.err()).contains("too few questions").contains("at least 30");
    assertThat(Cli.run("tune", "retrieval", "-C", dir.toString()).err()).contains("--qrels DIR");
    assertThat(adapterVersions()).isZero();

    Cli t = Cli.run("tune", "retrieval", "-C", dir.toString(), "--qrels", dir.resolve("judge").toString(), "--learning-rate", "0.0002", "--json");
    assertThat(t.code()).as(t.err()).isZero();
    assertThat(t.err()).contains("epoch  1").contains("dev dense nDCG@10");
    JsonNode j = t.json();
    String id = j.get("version").asText();
    assertThat(id).startsWith("retrieval-adapter-");
    assertThat(j.get("n_train").asInt() + j.get("n_dev").asInt() + j.get("n_gate").asInt()).isEqualTo(192);
    assertThat(j.get("n_gate").asInt()).isEqualTo(38);
    assertThat(j.get("epochs").asInt()).as("dev improved after at least one epoch, so the adapter is not the identity").isPositive();
    assertThat(j.get("dev").get("dense_ndcg@10_after").asDouble()).isGreaterThan(j.get("dev").get("dense_ndcg@10_before").asDouble());
    // its scope: anchored on the training questions, with a threshold that leaves some dev questions out
    assertThat(j.get("scope").get("anchors").asInt()).isEqualTo(j.get("n_train").asInt());
    assertThat(j.get("scope").get("dev_moved").asDouble()).isBetween(0.5, 0.95);
    assertThat(adapterVersions()).isOne();
    // nothing is promoted yet: search is as before
    assertThat(scores(question)).isEqualTo(before);

    // a server running through all of what follows: it must apply promotions and rollbacks without a restart
    try (LiveProject live = new LiveProject(Project.open(dir, true), line -> {});
        GroundworkServer server = GroundworkServer.builder().answering(live.answering()).queryLog(live.project().queryLog()).auth(false)
            .port(0).build().start()) {
      URI search = URI.create("http://127.0.0.1:" + server.port() + "/api/search?k=5&q=" + java.net.URLEncoder.encode(question, StandardCharsets.UTF_8));
      assertSameScores(served(search), before);
      // /api/ask answers through a pipeline the server built once and keeps: it must follow promotions too
      URI ask = URI.create("http://127.0.0.1:" + server.port() + "/api/ask");
      List<Double> askedBefore = asked(ask, question);
      promoteAndRollBack(j, id, question, before, search, ask, askedBefore);
    }
    pinAndTryTheAdapter(shared.resolve("squad-v1.1/dev-v1.1.json"), id, question, before);
    fusionIsChosenWithTheAdapterWhenSearchingHybrid();
  }

  /** Searching hybrid, the BM25 : dense and late-interaction weights are chosen with the adapter on dev, and stored with it. */
  private void fusionIsChosenWithTheAdapterWhenSearchingHybrid() throws Exception {
    Path yaml = dir.resolve("groundwork.yaml");
    Files.writeString(yaml, Files.readString(yaml).replaceFirst("mode: dense", "mode: hybrid").replaceFirst("  adapter: [^\\n]+", "  adapter: promoted"));
    Cli t = Cli.run("tune", "retrieval", "-C", dir.toString(), "--qrels", dir.resolve("judge").toString(), "--learning-rate", "0.0002", "--json");
    assertThat(t.code()).as(t.err()).isZero();
    JsonNode f = t.json().path("fusion");
    assertThat(f.path("dev_ndcg@10_configured").asDouble()).as(t.out()).isBetween(0.5, 1.0);
    assertThat(f.path("dev_ndcg@10_chosen").asDouble()).isGreaterThanOrEqualTo(f.path("dev_ndcg@10_configured").asDouble());
    JsonNode chosen = f.path("chosen");
    // nothing moves without a paired rise on dev; what moved is stored with the version
    String stored = Files.readString(dir.resolve(".groundwork/versions/" + t.json().path("version").asText() + "/version.json"));
    if (chosen.isNull()) assertThat(stored).doesNotContain("fusion_bm25_weight");
    else assertThat(stored).contains("fusion_bm25_weight");
  }

  /**
   * retrieval.adapter pins a version (or none) whatever is promoted; advise --try tries a trained
   * adapter that is not in use for retrieval misses, on a copy of the configuration.
   */
  private void pinAndTryTheAdapter(Path squad, String id, String question, List<Double> before) throws Exception {
    Path yaml = dir.resolve("groundwork.yaml");
    String cfg = Files.readString(yaml);
    Files.writeString(yaml, cfg.replace("  adapter: promoted", "  adapter: " + id));
    assertThat(scores(question)).isNotEqualTo(before); // pinned, though none is promoted
    Files.writeString(yaml, cfg.replace("  adapter: promoted", "  adapter: none"));
    assertThat(scores(question)).isEqualTo(before);
    Files.writeString(yaml, cfg.replace("  adapter: promoted", "  adapter: retrieval-adapter-20990101-000000-00000000"));
    Cli missing = Cli.run("search", "-C", dir.toString(), question);
    assertThat(missing.code()).isEqualTo(Main.USAGE);
    assertThat(missing.err()).contains("retrieval.adapter").contains("no version retrieval-adapter-20990101-000000-00000000");
    Files.writeString(yaml, cfg.replace("  adapter: promoted", "  adapter: latest"));
    assertThat(Cli.run("search", "-C", dir.toString(), question).err()).contains("retrieval.adapter").contains("accepted: promoted, none");

    // a suite of 30 judged questions, answered from one retrieved chunk: retrieval misses to advise on
    Files.writeString(yaml, cfg.replaceFirst("  k: 8", "  k: 1"));
    JsonNode data = JSON.readTree(squad.toFile()).get("data");
    StringBuilder suite = new StringBuilder("name: judged\nmin_pass_rate: 0.1\ncases:\n");
    for (int a = 0; a < 15; a++) {
      for (int p = 0; p < 2; p++) {
        JsonNode qa = data.get(a).get("paragraphs").get(p).get("qas").get(0);
        suite.append("  - {id: q").append(a).append('-').append(p).append(", question: ").append(JSON.writeValueAsString(qa.get("question").asText()))
            .append(", expected: ").append(JSON.writeValueAsString(qa.get("answers").get(0).get("text").asText()))
            .append(", expected_sources: [docs/article-").append(a).append('-').append(p).append(".md], assert: [{type: retrieved-source}]}\n");
      }
    }
    Files.createDirectories(dir.resolve("suites"));
    Files.writeString(dir.resolve("suites/judged.yaml"), suite);
    Cli eval = Cli.run("eval", "-C", dir.toString(), "--json");
    assertThat(eval.code()).as(eval.err()).isIn(Main.OK, Main.FAILED_CHECKS);
    Cli tried = Cli.run("advise", "-C", dir.toString(), "--try", "--json");
    assertThat(tried.code()).as(tried.err()).isZero();
    JsonNode adapterTry = null;
    List<String> misses = tried.json().path("symptoms").findValuesAsText("symptom");
    assertThat(misses).as(tried.out()).contains("retrieval-miss");
    for (JsonNode t : tried.json().path("tries")) if (t.path("change").has("retrieval.adapter")) adapterTry = t;
    assertThat(adapterTry).as(tried.out()).isNotNull();
    assertThat(adapterTry.path("symptom").asText()).isEqualTo("retrieval-miss");
    assertThat(adapterTry.path("change").path("retrieval.adapter").asText()).isEqualTo(id);
    List<String> fixed = new ArrayList<>();
    adapterTry.path("fixed").forEach(f -> fixed.add(f.asText()));
    List<String> targeted = new ArrayList<>();
    adapterTry.path("targeted").forEach(f -> targeted.add(f.asText()));
    assertThat(targeted).isNotEmpty().containsAll(fixed);
    // the run of the try was made with the adapter pinned, and stored apart from the project's own runs
    assertThat(Files.readString(dir.resolve(".groundwork/runs/" + adapterTry.path("run").asText() + ".json"))).contains("advise_try");
    assertThat(Files.readString(yaml)).isEqualTo(cfg.replaceFirst("  k: 8", "  k: 1")); // the live file is untouched
  }

  private static List<Double> served(URI search) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(search).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<Double> out = new ArrayList<>();
    for (JsonNode h : JSON.readTree(r.body()).get("hits")) out.add(h.get("score").asDouble());
    return out;
  }

  /** The retrieved scores of the server's /api/ask answer to {@code question}. */
  private static List<Double> asked(URI ask, String question) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(ask).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("question", question)))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<Double> out = new ArrayList<>();
    for (JsonNode h : JSON.readTree(r.body()).get("retrieved")) out.add(h.get("score").asDouble());
    return out;
  }

  /**
   * The server's scores are the CLI's: its own embedder session and adapter instance may differ in the
   * last printed digit (float rounding), never by what a promotion or rollback changes.
   */
  private static void assertSameScores(List<Double> served, List<Double> cli) {
    assertThat(served).hasSameSizeAs(cli);
    for (int i = 0; i < cli.size(); i++) assertThat(served.get(i)).as("score " + i + " of " + served + " vs " + cli).isCloseTo(cli.get(i), within(1e-5));
  }

  private void promoteAndRollBack(JsonNode j, String id, String question, List<Double> before, URI search, URI askUri, List<Double> askedBefore)
      throws Exception {
    // the gate's verdict follows its own figures: a rise of 0.01 with paired p < 0.05
    Cli gate = Cli.run("versions", "promote", "-C", dir.toString(), id);
    double rise = j.get("gate").get("ndcg@10_after").asDouble() - j.get("gate").get("ndcg@10_before").asDouble();
    JsonNode g = j.get("gate");
    boolean unseenHolds = g.get("unseen_questions").asInt() < 5
        || g.get("unseen_ndcg@10_after").asDouble() >= g.get("unseen_ndcg@10_before").asDouble() - 0.02;
    boolean shouldPass = rise >= 0.01 && g.get("p_value").asDouble() < 0.05 && unseenHolds;
    assertThat(gate.out()).contains("gate nDCG@10").contains("without an adapter").contains("paired p=");
    assertThat(gate.code()).as(gate.out()).isEqualTo(shouldPass ? Main.OK : Main.FAILED_CHECKS);
    if (!shouldPass) {
      assertThat(scores(question)).isEqualTo(before);
      Cli forced = Cli.run("versions", "promote", "-C", dir.toString(), id, "--force");
      assertThat(forced.code()).as(forced.out()).isZero();
    }
    // promoted: the next search embeds its query through the adapter, documents unchanged; the server too
    List<Double> after = scores(question);
    assertThat(after).isNotEqualTo(before);
    assertSameScores(served(search), after);
    assertThat(asked(askUri, question)).isNotEqualTo(askedBefore);
    Cli ask = Cli.run("ask", "-C", dir.toString(), "--json", question);
    assertThat(ask.code()).as(ask.err()).isZero();

    // a rollback of the first adapter leaves none: search is exactly as before again
    Cli back = Cli.run("versions", "rollback", "-C", dir.toString(), "retrieval-adapter");
    assertThat(back.code()).as(back.err()).isZero();
    assertThat(back.out()).contains("to none");
    assertThat(scores(question)).isEqualTo(before);
    assertSameScores(served(search), before);
    assertThat(asked(askUri, question)).isEqualTo(askedBefore);
  }
}
