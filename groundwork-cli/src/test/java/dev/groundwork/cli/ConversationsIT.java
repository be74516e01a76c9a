package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.app.LiveProject;
import dev.groundwork.app.Project;
import dev.groundwork.server.GroundworkServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Follow-up questions made standalone before retrieval: the bench, eval of conversation cases, and the chat endpoint with its log. */
class ConversationsIT {
  @TempDir Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeEach
  void project() throws Exception {
    Files.createDirectories(dir.resolve("docs"));
    // three documents that all say how long something is kept: the follow-up alone cannot tell them apart
    Files.writeString(dir.resolve("docs/dead-jobs.md"), "# Dead jobs\n\nA job that fails its last attempt moves to the dead-letter queue. "
        + "Dead jobs are kept for 30 days, then deleted.\n");
    Files.writeString(dir.resolve("docs/request-logs.md"), "# Request logs\n\nThe request log is kept for 7 days and rotated every night.\n");
    Files.writeString(dir.resolve("docs/backups.md"), "# Backups\n\nEach nightly backup is kept for 90 days in the archive bucket.\n");
    Files.writeString(dir.resolve("conv.yaml"), """
        name: conv
        cases:
          - id: dead-jobs-kept
            messages:
              - {role: user, content: "What happens to dead jobs?"}
              - {role: assistant, content: "They move to the dead-letter queue [1]."}
              - {role: user, content: "and how long are they kept?"}
            expected_sources: [docs/dead-jobs.md]
            assert: [{type: retrieved-source, k: 1}, {type: contains, value: 30 days}]
          - id: backups-kept
            messages:
              - {role: user, content: "When do nightly backups run?"}
              - {role: assistant, content: "Every night [1]."}
              - {role: user, content: "How long is each one kept?"}
            expected_sources: [docs/backups.md]
            assert: [{type: retrieved-source, k: 1}, {type: contains, value: 90 days}]
        """);
    Cli ingest = Cli.run("ingest", "-C", dir.toString(), "docs");
    assertThat(ingest.code()).as(ingest.err()).isZero();
  }

  @Test
  void theRuleFindsWhatTheFollowUpAloneMissesInTheBenchAndInEval() {
    Cli b = Cli.run("bench", "conversations", "-C", dir.toString(), "conv.yaml", "--k", "1", "--json");
    assertThat(b.code()).as(b.err()).isZero();
    assertThat(b.out()).contains("follow-up retrieval, 2 conversations, top 1", "as asked", "rule");
    JsonNode j = b.lastLineJson();
    assertThat(j.path("methods").get(0).path("method").asText()).isEqualTo("as asked");
    assertThat(j.path("methods").get(1).path("method").asText()).isEqualTo("rule");
    assertThat(j.path("methods").get(1).path("recall").asDouble()).isEqualTo(1.0);
    assertThat(j.path("methods").get(0).path("recall").asDouble()).isLessThan(1.0);

    Cli e = Cli.run("eval", "-C", dir.toString(), "conv.yaml");
    assertThat(e.code()).as(e.out() + e.err()).isZero();
    assertThat(e.out()).contains("2/2");

    Cli none = Cli.run("bench", "conversations", "-C", dir.toString(), "docs");
    assertThat(none.code()).isEqualTo(Main.USAGE);
  }

  @Test
  void theChatEndpointAnswersAFollowUpFromTheWholeConversationAndLogsBothQueries() throws Exception {
    try (LiveProject live = new LiveProject(Project.open(dir, true), line -> {});
        GroundworkServer server = GroundworkServer.builder().answering(live.answering()).queryLog(live.project().queryLog()).auth(false)
            .port(0).build().start()) {
      HttpClient http = HttpClient.newHttpClient();
      String body = """
          {"model": "extractive", "messages": [
            {"role": "system", "content": "You are helpful."},
            {"role": "user", "content": "What happens to dead jobs?"},
            {"role": "assistant", "content": "They move to the dead-letter queue [1]."},
            {"role": "user", "content": "and how long are they kept?"}]}""";
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/chat/completions"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode c = JSON.readTree(r.body());
      assertThat(c.path("choices").get(0).path("message").path("content").asText()).contains("30 days");
      JsonNode rw = c.path("groundwork").path("rewrite");
      assertThat(rw.path("original").asText()).isEqualTo("and how long are they kept?");
      assertThat(rw.path("method").asText()).isEqualTo("rule");
      assertThat(rw.path("query").asText()).contains("dead", "jobs");

      HttpResponse<String> q = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/queries?limit=1")).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode logged = JSON.readTree(q.body()).path("queries").get(0);
      assertThat(logged.path("question").asText()).isEqualTo("and how long are they kept?");
      assertThat(logged.path("rewritten_query").asText()).isEqualTo(rw.path("query").asText());

      // a single question is logged without a rewrite
      http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/chat/completions")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"extractive\", \"messages\": [{\"role\": \"user\", \"content\": \"How long are backups kept?\"}]}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      JsonNode single = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/queries?limit=1")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).path("queries").get(0);
      assertThat(single.path("question").asText()).isEqualTo("How long are backups kept?");
      assertThat(single.path("rewritten_query").isNull()).isTrue();
    }
  }
}
