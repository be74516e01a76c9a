package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchBeirIT {
  @TempDir Path dir;

  /** A tiny BEIR folder where each query's relevant document is unambiguous. */
  static Path tinyDataset(Path root) throws Exception {
    Path ds = Files.createDirectories(root.resolve("tiny"));
    String[][] docs = {
        {"d1", "Visibility timeout", "A delivered job stays hidden from other workers for the visibility timeout of thirty seconds."},
        {"d2", "Retries", "Failed jobs are retried with exponential backoff and move to the dead-letter queue after five attempts."},
        {"d3", "Pricing", "The Business plan costs four hundred ninety-nine dollars per month."},
        {"d4", "Backups", "Take backups from a follower every six hours and test a restore every month."},
        {"d5", "Metrics", "Prometheus metrics are served on port 9464 at the metrics path."},
        {"d6", "Install", "Install the package with apt on Debian and Ubuntu, or dnf on Fedora."}};
    StringBuilder corpus = new StringBuilder();
    for (String[] d : docs) corpus.append(String.format("{\"_id\": \"%s\", \"title\": \"%s\", \"text\": \"%s\"}%n", d[0], d[1], d[2]));
    Files.writeString(ds.resolve("corpus.jsonl"), corpus);
    Files.writeString(ds.resolve("queries.jsonl"), """
        {"_id": "q1", "text": "how long is a job hidden after delivery"}
        {"_id": "q2", "text": "what happens after five failed attempts"}
        {"_id": "q3", "text": "monthly price of the business plan"}
        {"_id": "q4", "text": "where are prometheus metrics exposed"}
        """);
    Files.createDirectories(ds.resolve("qrels"));
    Files.writeString(ds.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\nq3\td3\t1\nq4\td5\t1\n");
    // train: other wordings of the same needs, for --tune's dev split
    String[][] train = {{"t1", "d1", "hidden job visibility thirty seconds"}, {"t2", "d1", "how long do other workers not see a job"},
        {"t3", "d2", "exponential backoff retries"}, {"t4", "d2", "dead-letter queue after attempts"}, {"t5", "d3", "business plan dollars per month"},
        {"t6", "d3", "what does the business plan cost"}, {"t7", "d4", "backup from a follower every six hours"}, {"t8", "d4", "test a restore monthly"},
        {"t9", "d5", "metrics port 9464"}, {"t10", "d5", "prometheus metrics path"}, {"t11", "d6", "install with apt on debian"},
        {"t12", "d6", "dnf on fedora"}};
    StringBuilder tq = new StringBuilder(Files.readString(ds.resolve("queries.jsonl")));
    StringBuilder tr = new StringBuilder("query-id\tcorpus-id\tscore\n");
    for (String[] t : train) {
      tq.append(String.format("{\"_id\": \"%s\", \"text\": \"%s\"}%n", t[0], t[2]));
      tr.append(t[0]).append('\t').append(t[1]).append("\t1\n");
    }
    Files.writeString(ds.resolve("queries.jsonl"), tq);
    Files.writeString(ds.resolve("qrels/train.tsv"), tr);
    return ds;
  }

  @Test
  void reportsEveryMetricPerModeAsATableAndOneJsonObject() throws Exception {
    Path ds = tinyDataset(dir);
    Cli c = Cli.run("bench", "beir", "-C", dir.toString(), "--dataset", ds.toString(), "--json");
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(c.out()).contains("mode", "nDCG@10", "bm25", "dense", "hybrid", "docs/s");
    JsonNode j = c.lastLineJson();
    assertThat(j.get("dataset").asText()).isEqualTo("tiny");
    for (String mode : new String[] {"bm25", "dense", "hybrid"}) {
      JsonNode m = j.get("modes").get(mode);
      assertThat(m.get("ndcg@10").asDouble()).as(mode).isGreaterThan(0.9);
      assertThat(m.get("recall@100").asDouble()).as(mode).isEqualTo(1.0);
      assertThat(m.get("mrr@10").asDouble()).as(mode).isGreaterThan(0.9);
      assertThat(m.get("p50_ms").asDouble()).isPositive();
      assertThat(m.get("p95_ms").asDouble()).isGreaterThanOrEqualTo(m.get("p50_ms").asDouble());
    }
    assertThat(j.get("index_docs_per_s").asDouble()).isPositive();
    assertThat(j.get("embedded").asInt()).isEqualTo(6);

    JsonNode again = Cli.run("bench", "beir", "-C", dir.toString(), "--dataset", ds.toString(), "--json", "--modes", "bm25").lastLineJson();
    assertThat(again.get("cached").asInt()).as("second run embeds nothing").isEqualTo(6);
    assertThat(again.get("modes").has("dense")).isFalse();
  }

  @Test
  void tuneChoosesOnADevSplitOfTrainAndReportsTestOnceBesideTheUntunedFigures() throws Exception {
    Path ds = tinyDataset(dir);
    Cli c = Cli.run("bench", "beir", "-C", dir.toString(), "--dataset", ds.toString(), "--tune", "--dev-size", "10", "--seed", "5", "--json");
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(c.out()).contains("tuned on a dev split of train (10 of its 12 judged queries, seed 5");
    assertThat(c.err()).contains("tune on dev: start", "fusion", "late_weight");
    JsonNode j = c.lastLineJson();
    assertThat(j.path("modes").path("hybrid").path("ndcg@10").asDouble()).isGreaterThan(0.9);
    JsonNode t = j.path("tuned");
    assertThat(t.path("chosen").fieldNames()).toIterable().contains("fusion", "bm25_weight", "dense_weight", "late_weight", "late_idf", "candidates");
    assertThat(t.path("dev").path("queries").asInt()).isEqualTo(10);
    assertThat(t.path("dev").path("from_split").asText()).isEqualTo("train");
    assertThat(t.path("dev").path("trace").size()).isGreaterThan(5);
    for (String mode : new String[] {"dense", "hybrid"}) {
      assertThat(t.path("modes").path(mode).path("ndcg@10").asDouble()).as(mode).isGreaterThan(0.9);
      assertThat(t.path("modes").path(mode).has("recall@100") && t.path("modes").path(mode).has("p50_ms")).isTrue();
    }
    Cli onTrain = Cli.run("bench", "beir", "-C", dir.toString(), "--dataset", ds.toString(), "--tune", "--split", "train");
    assertThat(onTrain.code()).isEqualTo(Main.USAGE);
    assertThat(onTrain.err()).contains("--tune");
  }

  @Test
  void adapterTrainsOnTrainReportsTestBySeenDocumentsAndMeasuresATransferDataset() throws Exception {
    Path ds = tinyDataset(dir);
    // a SQuAD file read as a BEIR set: two paragraphs, each question judged against its own
    Path squad = dir.resolve("squad.json");
    Files.writeString(squad, """
        {"data": [{"title": "Kiln", "paragraphs": [
          {"context": "The kiln reaches twelve hundred degrees before the glaze melts.", "qas": [
            {"id": "s1", "question": "How hot does the kiln get?", "answers": [{"text": "twelve hundred degrees", "answer_start": 16}]}]},
          {"context": "Clay must dry for a week so that steam does not crack it.", "qas": [
            {"id": "s2", "question": "How long must clay dry?", "answers": [{"text": "a week", "answer_start": 20}]}]}]}]}
        """);
    Cli c = Cli.run("bench", "beir", "-C", dir.toString(), "--dataset", ds.toString(), "--tune", "--adapter", "--dev-size", "10", "--seed", "5",
        "--transfer", squad.toString(), "--json");
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(c.err()).contains("training a query adapter (corpus) on 2 train queries", "adapter epoch  1", "adapter trained in");
    JsonNode t = c.lastLineJson().path("tuned");
    JsonNode a = t.path("chosen").path("adapter");
    assertThat(a.path("mode").asText()).isEqualTo("corpus");
    assertThat(a.path("train_queries").asInt()).as("train minus the dev split").isEqualTo(2);
    assertThat(a.path("negatives").asText()).isEqualTo("whole corpus");
    // its scope: anchored on the two train questions, a threshold chosen among dev's similarities
    assertThat(c.err()).contains("adapter scope on dev: similarity >= ", "(chosen)");
    assertThat(a.path("scope").path("anchors").asInt()).isEqualTo(2);
    assertThat(a.path("scope").path("dev_moved").asDouble()).isBetween(0.5, 0.95);
    assertThat(a.path("scope").path("dev_quantile").asDouble()).isIn(0.05, 0.1, 0.2, 0.3, 0.4, 0.5);
    assertThat(t.path("modes").path("dense").path("ndcg@10").asDouble()).isGreaterThan(0.9);
    // every test document here was judged for some train query
    assertThat(t.path("by_documents").path("seen").path("queries").asInt()).isEqualTo(4);
    assertThat(t.path("by_documents").has("unseen")).isFalse();
    JsonNode x = t.path("transfer");
    assertThat(x.path("dataset").asText()).isEqualTo("squad-squad");
    assertThat(x.path("queries").asInt()).isEqualTo(2);
    assertThat(x.path("dense").path("ndcg@10_untuned").asDouble()).isEqualTo(1.0);
    assertThat(x.path("hybrid").has("ndcg@10_tuned")).isTrue();
    assertThat(c.out()).contains("transfer to squad-squad (2 documents, 2 queries; not trained on)");

    Cli noTune = Cli.run("bench", "beir", "-C", dir.toString(), "--dataset", ds.toString(), "--adapter");
    assertThat(noTune.code()).isEqualTo(Main.USAGE);
    assertThat(noTune.err()).contains("add --tune");
    Cli badMode = Cli.run("bench", "beir", "-C", dir.toString(), "--dataset", ds.toString(), "--tune", "--adapter", "sideways", "--dev-size", "10");
    assertThat(badMode.code()).isEqualTo(Main.USAGE);
    assertThat(badMode.err()).contains("corpus, new-documents");
  }

  @Test
  void aFolderThatIsNotBeirIsAUsageError() {
    Cli c = Cli.run("bench", "beir", "-C", dir.toString(), "--dataset", dir.toString());
    assertThat(c.code()).isEqualTo(Main.USAGE);
    assertThat(c.err()).contains("not a BEIR folder").contains("corpus.jsonl");
  }

  /** Real data: a SciFact sample through the whole path. Skips without ../shared, except in CI. */
  @Test
  void scifactSampleRetrievesWell() {
    Path shared = Cli.sharedData();
    if (System.getenv("CI") == null) assumeTrue(shared != null, "../shared/data/scifact not found; skipping the SciFact sample");
    assertThat(shared).as("CI must have ../shared/data").isNotNull();
    // 600 of SciFact's 5,183 abstracts, drawn without looking at the qrels; only the test queries with a
    // relevant abstract among them are judged
    Cli c = Cli.run("bench", "beir", "-C", dir.toString(), "--dataset", shared.resolve("scifact").toString(),
        "--corpus-sample", "600", "--json");
    assertThat(c.code()).as(c.err()).isZero();
    JsonNode j = c.lastLineJson();
    assertThat(j.get("documents").asInt()).isEqualTo(600);
    assertThat(j.get("queries").asInt()).as("a sample independent of the qrels leaves most test queries unjudged").isBetween(15, 100);
    for (String mode : new String[] {"bm25", "dense", "hybrid"}) {
      assertThat(j.get("modes").get(mode).get("ndcg@10").asDouble()).as(mode).isGreaterThan(0.6);
    }
    assertThat(j.get("late_weight").asDouble()).isEqualTo(1.0);
    assertThat(j.get("late_idf").asBoolean()).isTrue();
    // the same sample with fusion alone (embeddings from the cache): late interaction must add to it
    Cli fusionOnly = Cli.run("bench", "beir", "-C", dir.toString(), "--dataset", shared.resolve("scifact").toString(),
        "--corpus-sample", "600", "--modes", "hybrid", "--late-weight", "0", "--json");
    assertThat(fusionOnly.code()).as(fusionOnly.err()).isZero();
    JsonNode f = fusionOnly.lastLineJson();
    assertThat(f.get("embedded").asInt()).isZero();
    assertThat(f.get("late_weight").asDouble()).isZero();
    assertThat(j.get("modes").get("hybrid").get("ndcg@10").asDouble())
        .as("hybrid with late interaction vs fusion alone").isGreaterThan(f.get("modes").get("hybrid").get("ndcg@10").asDouble());
  }
}
