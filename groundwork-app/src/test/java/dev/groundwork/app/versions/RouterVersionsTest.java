package dev.groundwork.app.versions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.app.ModelsConfig;
import dev.groundwork.eval.CaseResult;
import dev.groundwork.eval.EvalRun;
import dev.groundwork.routing.Outcomes;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouterVersionsTest {
  @TempDir Path dir;

  static CaseResult result(String id, String question, boolean passed, double score, String error) {
    return new CaseResult(id, List.of("faq"), question, "a", false, passed, score, List.of(), null, null, null, 5, 0.0, error, 1, passed ? 1 : 0);
  }

  static EvalRun run(String id, String suite, String model, List<CaseResult> cases) {
    return new EvalRun(EvalRun.FORMAT, 1, id, suite, "2026-12-03T00:00:00Z", 1.0, 0.9, false, Map.of("answerer", model), cases, null);
  }

  @Test
  void twoRunsOfOneSuiteBecomeOutcomesJoinedByCase() {
    EvalRun cheap = run("r1", "faq", "extractive", List.of(result("a", "Which port?", false, 0.2, null), result("b", "How many?", true, 1, null),
        result("c", "Broken?", true, 1, "timeout")));
    EvalRun strong = run("r2", "faq", "openai:big", List.of(result("b", "How many?", true, 1, null), result("a", "Which port?", true, 1, null),
        result("c", "Broken?", true, 1, null)));
    List<Outcomes.Outcome> o = RouterVersions.fromRuns(cheap, strong);
    assertThat(o).extracting(Outcomes.Outcome::id).containsExactly("a", "b"); // c failed with an error in one run: no outcome
    assertThat(o.get(0).scores()).containsEntry("extractive", 0.2).containsEntry("openai:big", 1.0);
    assertThat(o.get(0).prompt()).isEqualTo("Which port?");

    assertThatThrownBy(() -> RouterVersions.fromRuns(cheap, run("r3", "other", "openai:big", List.of()))).hasMessageContaining("different suites");
    assertThatThrownBy(() -> RouterVersions.fromRuns(cheap, run("r4", "faq", "extractive", List.of()))).hasMessageContaining("both answered with extractive");
  }

  /** A stand-in embedder: each word hashed into one of 16 dimensions. */
  static final dev.groundwork.core.spi.Embedder WORDS = new dev.groundwork.core.spi.Embedder() {
    @Override
    public String name() {
      return "hashed-words-16";
    }

    @Override
    public int dimension() {
      return 16;
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
      List<float[]> out = new ArrayList<>();
      for (String t : texts) {
        float[] v = new float[16];
        for (String w : t.toLowerCase(java.util.Locale.ROOT).split("\\W+")) v[Math.floorMod(w.hashCode(), 16)] += 1;
        out.add(v);
      }
      return out;
    }

    @Override
    public float[] embedQuery(String query) {
      return embedDocuments(List.of(query)).get(0);
    }

    @Override
    public int countTokens(String text) {
      return text.split("\\s+").length;
    }
  };

  @Test
  void trainingStoresAVersionWithItsHeldOutOutcomesAndTheGateComparesRouters() {
    VersionRegistry registry = new VersionRegistry(dir, Clock.systemUTC());
    RouterVersions routers = new RouterVersions(registry, () -> WORDS);
    ModelsConfig.Route route = new ModelsConfig.Route("support", List.of("cheap", "strong"), "learned", null, null, 0.5);
    List<Outcomes.Outcome> data = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      boolean hard = i % 3 == 0;
      data.add(new Outcomes.Outcome("c" + i, (hard ? "prove the theorem number " : "look up the value number ") + i, "s",
          Map.of("cheap", hard ? 0.0 : 1.0, "strong", 1.0), Map.of()));
    }
    RouterVersions.Trained t = routers.train(route, data, "test", 0.34, 0.3, 7, "first", n -> {});
    assertThat(t.nTrain() + t.nHeldout()).isEqualTo(60);
    assertThat(t.version().kind()).isEqualTo("router");
    assertThat(t.version().inputs()).containsKey("test");
    assertThat(t.version().metrics()).containsKeys("cv_apgr", "heldout_apgr", "n_heldout");
    Gate.Verdict first = routers.gate(t.version(), Optional.empty());
    assertThat(first.passed()).as(first.reason()).isTrue();
    assertThat(first.reason()).contains("beats a random router");
    // against itself it cannot be better beyond chance
    Gate.Verdict same = routers.gate(t.version(), Optional.of(t.version()));
    assertThat(same.passed()).isFalse();
    assertThat(same.metrics()).containsKey("p_value");

    ModelsConfig.Route other = new ModelsConfig.Route("support", List.of("cheap", "other"), "learned", null, null, 0.5);
    assertThatThrownBy(() -> routers.train(other, data, "test", 0.3, 0.3, 7, null, n -> {})).hasMessageContaining("no score for other");
    assertThatThrownBy(() -> routers.train(route, data.subList(0, 20), "test", 0.3, 0.3, 7, null, n -> {})).hasMessageContaining("too few outcomes");
  }

  /** A logged answer of route {@code route} with the given attempts ({model, accepted, reason}). */
  static dev.groundwork.core.log.QueryLog.Entry routed(String id, String question, String route, String... attempts) {
    StringBuilder json = new StringBuilder("{\"route\": \"" + route + "\", \"policy\": \"cascade\", \"attempts\": [");
    for (int i = 0; i < attempts.length; i += 3) {
      if (i > 0) json.append(", ");
      json.append("{\"model\": \"").append(attempts[i]).append("\", \"accepted\": ").append(attempts[i + 1]).append(", \"reason\": \"")
          .append(attempts[i + 2]).append("\"}");
    }
    json.append("]}");
    return new dev.groundwork.core.log.QueryLog.Entry(id, java.time.Instant.ofEpochMilli(1000 + id.hashCode() % 100), null, question, "a", false,
        "x", false, List.of(), List.of(), List.of(), 1, 1, 0.0, 1, null, null, json.toString(), null);
  }

  @Test
  void theQueryLogLabelsTheRoutesAnswersByFeedbackAndEscalation() throws Exception {
    ModelsConfig.Route route = new ModelsConfig.Route("support", List.of("cheap", "strong"), "cascade", null, null, 0.5);
    try (var store = dev.groundwork.store.jdbc.JdbcStore.sqlite(dir.resolve("log.db"));
        var log = new dev.groundwork.store.jdbc.JdbcQueryLog(store)) {
      log.record(routed("up", "kept and liked", "support", "cheap", "true", ""));
      log.record(routed("down", "kept and disliked", "support", "cheap", "true", ""));
      log.record(routed("quiet", "kept, no feedback", "support", "cheap", "true", ""));
      log.record(routed("esc", "escalated", "support", "cheap", "false", "refused although 3 sources were retrieved", "strong", "true", ""));
      log.record(routed("escdown", "escalated and disliked", "support", "cheap", "false", "unsure: mean token log-probability -2.30 < -1.00",
          "strong", "true", ""));
      log.record(routed("skip", "sent straight on", "support", "cheap", "false", "skipped: router r1 scored 0.9 >= threshold 0.5", "strong", "true", ""));
      log.record(routed("err", "cheap model broke", "support", "cheap", "false", "failed: server_error", "strong", "true", ""));
      log.record(routed("other", "another route", "sales", "cheap", "true", ""));
      log.feedback(new dev.groundwork.core.log.QueryLog.Feedback("up", "up", null, null, java.time.Instant.now()));
      log.feedback(new dev.groundwork.core.log.QueryLog.Feedback("down", "down", null, null, java.time.Instant.now()));
      log.feedback(new dev.groundwork.core.log.QueryLog.Feedback("escdown", "down", null, null, java.time.Instant.now()));
      log.feedback(new dev.groundwork.core.log.QueryLog.Feedback("other", "up", null, null, java.time.Instant.now()));
      Map<String, Map<String, Double>> got = new java.util.TreeMap<>();
      for (Outcomes.Outcome o : RouterVersions.fromLog(log, route)) got.put(o.id(), o.scores());
      assertThat(got).containsOnlyKeys("up", "down", "esc", "escdown");
      assertThat(got.get("up")).isEqualTo(Map.of("cheap", 1.0, "strong", 1.0));
      assertThat(got.get("down")).isEqualTo(Map.of("cheap", 0.0, "strong", 1.0));
      assertThat(got.get("esc")).isEqualTo(Map.of("cheap", 0.0, "strong", 1.0));
      assertThat(got.get("escdown")).isEqualTo(Map.of("cheap", 0.0, "strong", 0.0));
    }
  }
}
