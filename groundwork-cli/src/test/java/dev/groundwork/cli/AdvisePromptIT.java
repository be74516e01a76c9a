package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.testkit.FakeLlmServer;
import dev.groundwork.testkit.FakeOpenAiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * advise --try's prompt experiments with a language model (the OpenAI stand-in over a socket, which
 * answers in JSON when the prompt asks for it, and greets when the prompt's examples do): the format
 * try states JSON in the rules, the tone try adds worked examples from the pool, never from the suite.
 */
class AdvisePromptIT {
  @TempDir Path project;

  @Test
  void thePromptTriesFixFormatAndToneFailuresWithAPoolKeptApartFromTheSuite() throws Exception {
    try (FakeOpenAiServer api = new FakeOpenAiServer()) {
      api.respondWith(req -> reply(api, req));
      Files.createDirectories(project.resolve("docs"));
      Files.createDirectories(project.resolve("suites"));
      Files.createDirectories(project.resolve("examples"));
      Files.writeString(project.resolve("docs/ops.md"), "# Operations\n\nThe dashboard listens on port 8089.\n");
      Files.writeString(project.resolve("docs/jobs.md"), "# Jobs\n\nA job gets 5 attempts.\n");
      Files.writeString(project.resolve("suites/s.yaml"), """
          name: s
          min_pass_rate: 1.0
          cases:
            - {id: j1, question: "Which port does the dashboard use?", expected: "8089", assert: [{type: is-json}]}
            - {id: j2, question: "How many attempts does a job get?", expected: "5 attempts", assert: [{type: is-json}]}
            - {id: t1, tags: [style], question: "What port is the dashboard on?", expected: "8089", assert: [{type: regex, value: "^Hello"}]}
            - {id: t2, tags: [style], question: "How often is a job tried?", expected: "5 attempts", assert: [{type: regex, value: "^Hello"}]}
            - {id: ok, question: "What does the dashboard listen on?", expected: "8089", assert: [{type: contains, value: "8089"}]}
          """);
      // the pool: one example that is a suite question (left out), two that are not
      Files.writeString(project.resolve("examples/house-style.yaml"), """
          examples:
            - {question: "What port is the dashboard on?", sources: "[1] The dashboard listens on port 8089.", answer: "Hello! Port 8089 [1]."}
            - {question: "Where are logs kept?", sources: "[1] Logs go to /var/log/tidewater.", answer: "Hello! In /var/log/tidewater [1]."}
            - {question: "How are jobs retried?", sources: "[1] Failed jobs are retried with backoff.", answer: "Hello! With backoff [1]."}
          """);
      Files.writeString(project.resolve("groundwork.yaml"), "answer: {model: \"openai:gpt-4.1-mini\"}\n"
          + "models: {openai: {base_url: \"" + api.baseUrl() + "\", api_key: k}, retries: 0}\n");
      assertThat(Cli.run("ingest", "-C", project.toString(), "docs").code()).isZero();
      assertThat(Cli.run("eval", "-C", project.toString()).code()).isEqualTo(1);

      // the experiments call a paid model: their cost is shown first, and --max-cost caps it
      Cli capped = Cli.run("advise", "-C", project.toString(), "--try", "--max-cost", "0", "--json");
      assertThat(capped.code()).as(capped.err()).isZero();
      assertThat(capped.err()).containsPattern("2 tries, one suite run each: about \\$0\\.[0-9]+ each").contains("--max-cost $0.0000 runs 0 of them");
      assertThat(capped.json().path("tries")).isEmpty();
      assertThat(capped.json().path("not_tried").path("format").asText()).startsWith("over --max-cost");

      Cli tried = Cli.run("advise", "-C", project.toString(), "--try", "--json");
      assertThat(tried.code()).as(tried.err()).isZero();
      JsonNode budget = tried.json().path("budget");
      assertThat(budget.path("estimate_usd").asDouble()).isPositive();
      assertThat(budget.path("spent_usd").asDouble()).isPositive();
      JsonNode tries = tried.json().path("tries");
      JsonNode format = null, tone = null;
      for (JsonNode t : tries) {
        if (t.path("symptom").asText().equals("format")) format = t;
        if (t.path("symptom").asText().equals("tone")) tone = t;
      }
      assertThat(format).as(tries.toString()).isNotNull();
      assertThat(format.path("change").path("prompts.rules").asText()).endsWith("Reply with JSON only: no prose around it and no code fences.");
      assertThat(format.path("fixed")).extracting(JsonNode::asText).containsExactlyInAnyOrder("j1", "j2");
      assertThat(tone).as(tries.toString()).isNotNull();
      JsonNode shots = tone.path("change").path("prompts.examples");
      assertThat(shots.size()).isEqualTo(2);
      assertThat(shots.findValuesAsText("question")).doesNotContain("What port is the dashboard on?");
      assertThat(tone.path("fixed")).extracting(JsonNode::asText).containsExactlyInAnyOrder("t1", "t2");
      assertThat(tried.json().path("not_tried").has("format")).isFalse();
      long recommended = 0;
      for (JsonNode t : tries) if (t.path("recommended").asBoolean()) recommended++;
      assertThat(recommended).isEqualTo(1);
    }
  }

  /** JSON when the rules ask for it; a greeting when the prompt's examples greet; else the stand-in's grounded quote. */
  private static FakeLlmServer.Reply reply(FakeOpenAiServer api, FakeLlmServer.Recorded req) {
    String body = req.body();
    if (!req.path().endsWith("/chat/completions")) return null;
    String quote = body.contains("8089") && (body.contains("dashboard use") || body.contains("dashboard on") || body.contains("listen on")) ? "port 8089"
        : "5 attempts";
    if (body.contains("Reply with JSON only")) return api.text("{\"answer\": \"" + quote + "\"}", 30, 0, 8);
    if (body.contains("Hello! ")) return api.text("Hello! It is " + quote + " [1].", 30, 0, 8);
    return api.text("It is " + quote + " [1].", 30, 0, 8);
  }
}
