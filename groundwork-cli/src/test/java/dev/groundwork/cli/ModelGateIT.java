package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.testkit.FakeLlmServer;
import dev.groundwork.testkit.FakeOpenAiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuned models through the version registry, end to end over a socket: two "tuned" models whose
 * answers really differ from production's are registered; the gate refuses the one that loses a
 * critical case and promotes the one that only wins; the alias then serves it, a candidate gets its
 * canary share, and rollback returns the alias to the configured model.
 */
class ModelGateIT {
  @TempDir Path project;

  /** The four questions, and the fact each one's answer must contain. */
  static final Map<String, String> FACTS = Map.of("How long are dead jobs kept?", "30 days", "How many attempts does a job get?", "5 attempts",
      "Which port does the dashboard use?", "port 8089", "How long is the default visibility timeout?", "45 seconds");

  /** What each served model gets right: production misses two questions, "good" none, "bad" the critical one. */
  static final Map<String, List<String>> WRONG = Map.of("gpt-4.1-mini", List.of("Which port does the dashboard use?", "How long is the default visibility timeout?"),
      "ft:gpt-4.1-mini:acme:good:1", List.of(), "ft:gpt-4.1-mini:acme:bad:2", List.of("How long are dead jobs kept?"));

  @Test
  void theGateRefusesALostCriticalCasePromotesABetterModelAndTheAliasServesIt() throws Exception {
    try (FakeOpenAiServer api = new FakeOpenAiServer()) {
      api.respondWith(req -> reply(api, req));
      Files.createDirectories(project.resolve("docs"));
      Files.createDirectories(project.resolve("suites"));
      Files.writeString(project.resolve("docs/ops.md"), "# Operations\n\nDead jobs are kept for 30 days. A job gets 5 attempts. The dashboard listens on port 8089."
          + " The default visibility timeout is 45 seconds.\n");
      Files.writeString(project.resolve("suites/support.yaml"), """
          name: support
          min_pass_rate: 0.5
          cases:
            - {id: dead-jobs, tags: [critical], question: "How long are dead jobs kept?", assert: [{type: contains, value: 30 days}]}
            - {id: attempts, question: "How many attempts does a job get?", assert: [{type: contains, value: 5 attempts}]}
            - {id: port, question: "Which port does the dashboard use?", assert: [{type: contains, value: port 8089}]}
            - {id: visibility, question: "How long is the default visibility timeout?", assert: [{type: contains, value: 45 seconds}]}
          """);
      Files.writeString(project.resolve("groundwork.yaml"), "answer: {model: \"openai:gpt-4.1-mini\"}\n"
          + "models: {openai: {base_url: \"" + api.baseUrl() + "\", api_key: k}, retries: 0}\n");
      assertThat(Cli.run("ingest", "-C", project.toString(), "docs").code()).isZero();

      String good = added(Cli.run("versions", "add", "model", "openai:ft:gpt-4.1-mini:acme:good:1", "--alias", "support", "-C", project.toString()));
      String bad = added(Cli.run("versions", "add", "model", "openai:ft:gpt-4.1-mini:acme:bad:2", "--alias", "support", "-C", project.toString()));

      // the bad model wins both questions production misses, but loses the critical one: refused
      Cli refused = Cli.run("versions", "promote", bad, "-C", project.toString());
      assertThat(refused.code()).as(refused.err()).isEqualTo(1);
      assertThat(refused.out()).contains("fails critical cases production passes: support/dead-jobs")
          .contains("openai:ft:gpt-4.1-mini:acme:bad:2 against openai:gpt-4.1-mini: 2 won, 1 lost")
          .containsPattern("support +dead-jobs +yes +pass +fail").containsPattern("support +port +- +fail +pass")
          .contains("not promoted; support@production stays the configured answer model");

      // the good one only wins: promoted onto the alias it was made for
      Cli promoted = Cli.run("versions", "promote", good, "-C", project.toString());
      assertThat(promoted.code()).as(promoted.out() + promoted.err()).isZero();
      assertThat(promoted.out()).contains("2 won, 0 lost, McNemar exact p = 0.500").contains("promoted " + good + " onto support@production");
      assertThat(Cli.run("versions", "list", "-C", project.toString()).out()).containsPattern("\\* " + good + ".*support@production");

      // the alias is a model name: ask goes to the promoted model
      int before = api.requests().size();
      Cli asked = Cli.run("ask", "-C", project.toString(), "--model", "support@production", "Which port does the dashboard use?");
      assertThat(asked.code()).as(asked.err()).isZero();
      assertThat(asked.out()).contains("port 8089");
      assertThat(modelsAskedSince(api, before)).containsExactly("ft:gpt-4.1-mini:acme:good:1");

      // a candidate with half the traffic: alternate calls go to it; only NAME@candidate reaches it otherwise
      Cli cand = Cli.run("versions", "candidate", bad, "--alias", "support", "--canary", "0.5", "-C", project.toString());
      assertThat(cand.out()).contains("support@candidate is " + bad + " (openai:ft:gpt-4.1-mini:acme:bad:2); 50% of support@production's calls go to it");
      before = api.requests().size();
      Cli evalRun = Cli.run("eval", "-C", project.toString(), "--model", "support@production");
      assertThat(evalRun.err()).doesNotContain("Exception");
      assertThat(modelsAskedSince(api, before)).containsExactlyInAnyOrder("ft:gpt-4.1-mini:acme:good:1", "ft:gpt-4.1-mini:acme:bad:2",
          "ft:gpt-4.1-mini:acme:good:1", "ft:gpt-4.1-mini:acme:bad:2");
      before = api.requests().size();
      assertThat(Cli.run("ask", "-C", project.toString(), "--model", "support@candidate", "How long are dead jobs kept?").code()).isZero();
      assertThat(modelsAskedSince(api, before)).containsExactly("ft:gpt-4.1-mini:acme:bad:2");

      // rollback: the first promotion undone, the alias serves the configured model again
      Cli back = Cli.run("versions", "rollback", "model", "--alias", "support", "-C", project.toString());
      assertThat(back.out()).contains("rolled back support@production to the configured answer model");
      Cli candidateOff = Cli.run("versions", "candidate", bad, "--alias", "support", "-C", project.toString());
      assertThat(candidateOff.out()).contains("no canary");
      before = api.requests().size();
      Cli again = Cli.run("ask", "-C", project.toString(), "--model", "support@production", "How many attempts does a job get?");
      assertThat(again.code()).as(again.err()).isZero();
      assertThat(modelsAskedSince(api, before)).containsExactly("gpt-4.1-mini");

      // bad input names what to do
      Cli none = Cli.run("ask", "-C", project.toString(), "--model", "billing@candidate", "How many attempts does a job get?");
      assertThat(none.code()).isNotZero();
      assertThat(none.err()).contains("no candidate for model alias 'billing'").contains("versions candidate");
      Cli notModel = Cli.run("versions", "add", "model", "extractive", "-C", project.toString());
      assertThat(notModel.code()).isEqualTo(2);
      assertThat(notModel.err()).contains("a model version is a provider model");
      Files.writeString(project.resolve(".groundwork/versions/" + good + "/model.json"), "{}");
      Cli damaged = Cli.run("versions", "promote", good, "-C", project.toString());
      assertThat(damaged.code()).isNotZero();
      assertThat(damaged.err()).contains(good + "/model.json: no 'model'");
    }
  }

  @Test
  void aRunningServerFollowsPromotionsOfAnAliasAndLogsWhichModelAnswered() throws Exception {
    try (FakeOpenAiServer api = new FakeOpenAiServer()) {
      api.respondWith(req -> reply(api, req));
      Files.createDirectories(project.resolve("docs"));
      Files.writeString(project.resolve("docs/ops.md"), "# Operations\n\nA job gets 5 attempts. The dashboard listens on port 8089.\n");
      Files.writeString(project.resolve("groundwork.yaml"), "answer: {model: \"openai:gpt-4.1-mini\"}\n"
          + "models: {openai: {base_url: \"" + api.baseUrl() + "\", api_key: k}, retries: 0}\n");
      assertThat(Cli.run("ingest", "-C", project.toString(), "docs").code()).isZero();
      String good = added(Cli.run("versions", "add", "model", "openai:ft:gpt-4.1-mini:acme:good:1", "--alias", "support", "-C", project.toString()));
      String bad = added(Cli.run("versions", "add", "model", "openai:ft:gpt-4.1-mini:acme:bad:2", "--alias", "support", "-C", project.toString()));
      assertThat(Cli.run("versions", "promote", good, "--force", "-C", project.toString()).code()).isZero();
      try (dev.groundwork.app.LiveProject live = new dev.groundwork.app.LiveProject(dev.groundwork.app.Project.open(project, true), x -> { });
          dev.groundwork.server.GroundworkServer server = dev.groundwork.server.GroundworkServer.builder().answering(live.answering())
              .queryLog(live.project().queryLog()).auth(false).port(0).build().start()) {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest chat = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/v1/chat/completions"))
            .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                "{\"model\": \"support@production\", \"messages\": [{\"role\": \"user\", \"content\": \"Which port does the dashboard use?\"}]}")).build();
        var first = http.send(chat, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.body()).contains("port 8089");
        // promoted while serving: the next request goes to the new version, with no restart
        assertThat(Cli.run("versions", "promote", bad, "--force", "-C", project.toString()).code()).isZero();
        int before = api.requests().size();
        var second = http.send(chat, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(modelsAskedSince(api, before)).containsExactly("ft:gpt-4.1-mini:acme:bad:2");
        var models = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/v1/models")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(models.body()).contains("support@production");
        // the log says which model answered each request, so the two versions can be compared
        var logged = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/api/queries")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(logged.body()).contains("openai:ft:gpt-4.1-mini:acme:good:1").contains("openai:ft:gpt-4.1-mini:acme:bad:2");
      }
    }
  }

  private static String added(Cli c) {
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(c.out()).startsWith("added model-");
    return c.out().strip().substring("added ".length());
  }

  /** The model each chat request since the {@code from}-th asked for. */
  private static List<String> modelsAskedSince(FakeOpenAiServer api, int from) {
    return api.requests().subList(from, api.requests().size()).stream().filter(r -> r.path().endsWith("/chat/completions"))
        .map(r -> r.json().path("model").asText()).toList();
  }

  /** The right fact, cited, unless the model asked for gets this question wrong. */
  private static FakeLlmServer.Reply reply(FakeOpenAiServer api, FakeLlmServer.Recorded req) {
    JsonNode body = req.json();
    String model = body.path("model").asText();
    JsonNode messages = body.path("messages");
    String last = messages.get(messages.size() - 1).path("content").asText();
    for (Map.Entry<String, String> f : FACTS.entrySet()) {
      if (last.contains(f.getKey())) {
        boolean wrong = WRONG.getOrDefault(model, List.of()).contains(f.getKey());
        return api.text(wrong ? "It is not stated clearly, perhaps a week [1]." : "The answer is " + f.getValue() + " [1].", 50, 0, 10);
      }
    }
    return null;
  }
}
