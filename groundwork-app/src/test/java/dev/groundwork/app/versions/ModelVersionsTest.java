package dev.groundwork.app.versions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.groundwork.app.Project;
import dev.groundwork.core.ingest.IngestListener;
import dev.groundwork.core.log.QueryLog;
import dev.groundwork.testkit.FakeOpenAiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelVersionsTest {
  @TempDir Path root;

  @Test
  void aCandidateThatLosesEnoughCasesIsSignificantlyWorseEvenWithNoneCritical() throws Exception {
    try (FakeOpenAiServer api = new FakeOpenAiServer()) {
      // production answers every question with its fact; the candidate gets all six wrong
      api.respondWith(req -> {
        String model = req.json().path("model").asText();
        String last = req.json().path("messages").get(req.json().path("messages").size() - 1).path("content").asText();
        for (int i = 1; i <= 6; i++) {
          if (last.contains("setting " + i + "?")) return api.text(model.startsWith("ft:") ? "No idea [1]." : "It is " + (i * 11) + " [1].", 40, 0, 8);
        }
        return null;
      });
      project(api, 0.0);
      try (Project p = Project.open(root, false)) {
        ModelVersions models = new ProjectVersions(p, Clock.systemUTC()).models();
        Version worse = new ProjectVersions(p, Clock.systemUTC()).addModel("openai:ft:gpt-4.1-mini:acme:worse:1", "support", null);
        Gate.Verdict v = models.gate(worse, "support");
        assertThat(v.passed()).isFalse();
        assertThat(v.reason()).startsWith("significantly worse than production (p < 0.05)").contains("0 won, 6 lost");
        // 0 of 6 disagreements: 2 * (1/2)^6
        assertThat((double) v.metrics().get("mcnemar_p")).isCloseTo(0.03125, within(1e-12));
        assertThat((List<?>) v.metrics().get("diff")).hasSize(6);
        assertThat(v.metrics()).containsKeys("support.candidate_run", "support.production_run");
        VersionRegistry.Promotion refused = models.promote(worse.id(), "support", false);
        assertThat(refused.promoted()).isFalse();
        assertThat(new ProjectVersions(p, Clock.systemUTC()).registry().promoted("model:support")).isEmpty();
      }
    }
  }

  @Test
  void theCanaryReportComparesTheTwoModelsFromTheLog() throws Exception {
    try (FakeOpenAiServer api = new FakeOpenAiServer()) {
      project(api, 1.0);
      try (Project p = Project.open(root, true)) {
        ProjectVersions versions = new ProjectVersions(p, Clock.systemUTC());
        Version prod = versions.addModel("openai:ft:gpt-4.1-mini:acme:prod:1", "support", null);
        Version cand = versions.addModel("openai:ft:gpt-4.1-mini:acme:cand:2", "support", null);
        versions.models().promote(prod.id(), "support", true);
        versions.models().candidate(cand.id(), "support", 0.1);
        ModelVersions.Resolved r = versions.models().resolve("support@production");
        assertThat(r.production()).isEqualTo("openai:ft:gpt-4.1-mini:acme:prod:1");
        assertThat(r.candidate()).isEqualTo("openai:ft:gpt-4.1-mini:acme:cand:2");
        assertThat(r.canaryShare()).isEqualTo(0.1);
        QueryLog log = p.queryLog();
        Instant now = Instant.now().plusSeconds(1);
        // production: three answers, 100/200/900 ms, one refused, one rated down; candidate: one, rated up
        log.record(entry("p1", now, "openai:ft:gpt-4.1-mini:acme:prod:1", false, 100, 0.002));
        log.record(entry("p2", now, "openai:ft:gpt-4.1-mini:acme:prod:1", true, 900, 0.004));
        log.record(entry("p3", now, "openai:ft:gpt-4.1-mini:acme:prod:1", false, 200, 0.003));
        log.record(entry("c1", now, "openai:ft:gpt-4.1-mini:acme:cand:2", false, 50, 0.001));
        log.record(entry("x1", now, "openai:gpt-4.1", false, 10, 0.5)); // neither side's
        log.feedback(new QueryLog.Feedback("p2", "down", null, null, now));
        log.feedback(new QueryLog.Feedback("c1", "up", null, null, now));
        List<ModelVersions.CanaryRow> rows = versions.models().canaryReport("support", log);
        assertThat(rows.get(0)).isEqualTo(new ModelVersions.CanaryRow("openai:ft:gpt-4.1-mini:acme:prod:1", prod.id(), 3, 0, 1, 1.0 / 3, 200, rows.get(0).usdPerQuery()));
        assertThat(rows.get(0).usdPerQuery()).isCloseTo(0.003, within(1e-12));
        assertThat(rows.get(1)).isEqualTo(new ModelVersions.CanaryRow("openai:ft:gpt-4.1-mini:acme:cand:2", cand.id(), 1, 1, 0, 0, 50, 0.001));
        // turning the canary off keeps the candidate reachable by name only
        versions.models().candidate(cand.id(), "support", 0);
        assertThat(versions.models().resolve("support@production").candidate()).isNull();
        assertThat(versions.models().resolve("support@candidate").production()).isEqualTo("openai:ft:gpt-4.1-mini:acme:cand:2");
      }
    }
  }

  private void project(FakeOpenAiServer api, double minPass) throws Exception {
    Files.createDirectories(root.resolve("docs"));
    Files.createDirectories(root.resolve("suites"));
    StringBuilder doc = new StringBuilder("# Settings\n\n");
    StringBuilder suite = new StringBuilder("name: support\nmin_pass_rate: " + minPass + "\ncases:\n");
    for (int i = 1; i <= 6; i++) {
      doc.append("Setting ").append(i).append(" is ").append(i * 11).append(".\n");
      suite.append("  - {id: s").append(i).append(", question: \"What is setting ").append(i).append("?\", assert: [{type: contains, value: \"")
          .append(i * 11).append("\"}]}\n");
    }
    Files.writeString(root.resolve("docs/settings.md"), doc);
    Files.writeString(root.resolve("suites/support.yaml"), suite);
    Files.writeString(root.resolve("groundwork.yaml"), "answer: {model: \"openai:gpt-4.1-mini\"}\n"
        + "models: {openai: {base_url: \"" + api.baseUrl() + "\", api_key: k}, retries: 0}\n");
    try (Project w = Project.open(root, true)) {
      w.ingestPipeline(IngestListener.NONE).ingestPaths(List.of("docs"));
    }
  }

  private static QueryLog.Entry entry(String id, Instant t, String model, boolean refused, long ms, double usd) {
    return new QueryLog.Entry(id, t, null, "q " + id, "a", refused, model, false, List.of(), List.of(), List.of(), 10, 5, usd, ms, null, null);
  }

}
