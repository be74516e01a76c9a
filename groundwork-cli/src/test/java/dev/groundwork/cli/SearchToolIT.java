package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.testkit.FakeLlmServer;
import dev.groundwork.testkit.FakeOpenAiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tool use: with {@code answer.tools: [search]} the model is offered a search tool (OpenAI's function
 * calling, over a socket); its own query's hits join the sources, and it answers from them all.
 */
class SearchToolIT {
  @TempDir Path project;

  @Test
  void theModelSearchesAgainInItsOwnWordsAndAnswersFromWhatItFound() throws Exception {
    try (FakeOpenAiServer api = new FakeOpenAiServer()) {
      api.respondWith(req -> reply(api, req));
      Files.createDirectories(project.resolve("docs"));
      Files.writeString(project.resolve("docs/retention.md"), "# Retention\n\nDead jobs are kept 14 days before they are purged.\n");
      Files.writeString(project.resolve("docs/ports.md"), "# Ports\n\nThe dashboard listens on port 8089.\n");
      Files.writeString(project.resolve("groundwork.yaml"), """
          answer: {model: "openai:gpt-4.1-mini", tools: [search]}
          retrieval: {k: 1}
          models: {openai: {base_url: "%s", api_key: k}, retries: 0}
          """.formatted(api.baseUrl()));
      assertThat(Cli.run("ingest", "-C", project.toString(), "docs").code()).isZero();
      Cli ask = Cli.run("ask", "-C", project.toString(), "--json", "Which port does the dashboard listen on, and how long are dead jobs kept?");
      assertThat(ask.code()).as(ask.err()).isZero();
      JsonNode j = ask.json();
      assertThat(j.path("answer").asText()).contains("14 days");
      assertThat(j.path("citations").findValuesAsText("source")).contains("docs/retention.md");
      assertThat(j.path("retrieved").findValuesAsText("source")).contains("docs/retention.md", "docs/ports.md");
      assertThat(j.path("steps").findValuesAsText("step")).contains("generate", "search_tool");
      // the first call offered the tool; the answer after it was asked for without one, with the new sources in the prompt
      List<FakeLlmServer.Recorded> chats = api.requests().stream().filter(r -> r.path().endsWith("/chat/completions")).toList();
      assertThat(chats).hasSize(2);
      assertThat(chats.get(0).parsed().path("tools").get(0).path("function").path("name").asText()).isEqualTo("search_documents");
      assertThat(chats.get(1).parsed().has("tools")).isFalse();
      assertThat(chats.get(1).body()).contains("Dead jobs are kept 14 days");

      // a tool that does not exist is a configuration error naming the key
      Files.writeString(project.resolve("groundwork.yaml"), "answer: {model: \"openai:gpt-4.1-mini\", tools: [calculator]}\n");
      Cli bad = Cli.run("ask", "-C", project.toString(), "anything");
      assertThat(bad.code()).isEqualTo(Main.USAGE);
      assertThat(bad.err()).contains("answer.tools").contains("'calculator' is not a tool");
    }
  }

  /** Offered the tool, the model searches for retention; then it answers from the sources it is given. */
  private static FakeLlmServer.Reply reply(FakeOpenAiServer api, FakeLlmServer.Recorded req) {
    if (!req.path().endsWith("/chat/completions")) return null;
    if (req.parsed().path("tools").isArray() && req.parsed().path("tools").size() > 0) {
      return api.toolCall("call_1", "search_documents", "{\"query\": \"how long dead jobs are kept before purge\"}");
    }
    String body = req.body();
    String cite = "";
    // cite the source that says it: the sources are numbered [1], [2], ... in the prompt
    for (int i = 1; i <= 4; i++) {
      int at = body.indexOf("[" + i + "] docs/");
      if (at >= 0 && body.indexOf("Dead jobs", at) >= 0 && (body.indexOf("[" + (i + 1) + "] docs/") < 0 || body.indexOf("Dead jobs", at) < body.indexOf("[" + (i + 1) + "] docs/"))) {
        cite = "[" + i + "]";
      }
    }
    return api.text(cite.isEmpty() ? "Port 8089 [1]; the sources do not say how long dead jobs are kept." : "Port 8089; dead jobs are kept 14 days " + cite + ".",
        40, 0, 12);
  }
}
