package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.app.Project;
import dev.groundwork.testkit.FakeAnthropicServer;
import dev.groundwork.testkit.FakeOpenAiServer;
import dev.groundwork.testkit.RawHttpServer;
import dev.groundwork.testkit.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `groundwork ask --model ...` end to end: real index, real HTTP to fake providers, a real GGUF model. */
class AskWithModelsIT {
  @TempDir static Path project;
  FakeOpenAiServer openai;
  FakeAnthropicServer anthropic;

  @BeforeAll
  static void index() throws Exception {
    Files.createDirectories(project.resolve("docs"));
    Files.writeString(project.resolve("docs/retries.md"), """
        # Retries

        A job gets 5 attempts in total before it moves to the dead-letter queue.

        # Ports

        The alpha service listens on port 4242.
        """);
    assertThat(Cli.run("ingest", "-C", project.toString(), "docs").code()).isZero();
  }

  @BeforeEach
  void servers() {
    openai = new FakeOpenAiServer();
    anthropic = new FakeAnthropicServer();
  }

  @AfterEach
  void stop() {
    openai.close();
    anthropic.close();
  }

  Cli ask(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("ask", "-C", project.toString()));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  @Test
  void anOpenAiCompatibleModelAnswersWithMappedCitationsAndAPricedBreakdown() {
    openai.enqueue(openai.text("A job gets 5 attempts [1], see also [9].", 1200, 200, 30));
    Cli c = ask("--model", "openai:gpt-4.1-mini", "--base-url", openai.baseUrl(), "--api-key", "sk-test", "--json",
        "How many attempts does a job get?");
    assertThat(c.code()).as(c.err()).isZero();
    JsonNode j = c.json();
    assertThat(j.path("answer").asText()).isEqualTo("A job gets 5 attempts [1], see also.");
    assertThat(j.path("citations").get(0).path("source").asText()).isEqualTo("docs/retries.md");
    assertThat(j.path("generation").path("invalid_citations").get(0).asInt()).isEqualTo(9);
    assertThat(j.path("prompt_version").asText()).hasSize(12);
    assertThat(j.path("model").asText()).isEqualTo("openai:gpt-4.1-mini");
    assertThat(j.path("steps").get(0).path("step").asText()).isEqualTo("embed_query");
    assertThat(j.path("steps").get(1).path("step").asText()).isEqualTo("generate");
    assertThat(j.path("steps").get(1).path("cached_input_tokens").asInt()).isEqualTo(200);
    double expected = (1000 * 0.40 + 200 * 0.10 + 30 * 1.60) / 1e6;
    assertThat(j.path("cost_usd").asDouble()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));

    JsonNode sent = openai.lastRequest().json();
    assertThat(sent.path("model").asText()).isEqualTo("gpt-4.1-mini");
    assertThat(openai.lastRequest().header("Authorization")).isEqualTo("Bearer sk-test");
    String user = sent.path("messages").get(sent.path("messages").size() - 1).path("content").asText();
    assertThat(user).contains("BEGIN SOURCES", "| A job gets 5 attempts in total", "Question: How many attempts does a job get?");
    assertThat(sent.path("messages").get(0).path("content").asText()).contains("[1]", "do not contain");
  }

  /** groundwork.yaml with the route support: the extractive answerer, then the fake OpenAI server's model. */
  /** groundwork.yaml with the fake OpenAI server as the openai provider, no retries, then {@code more}. */
  void writeOpenAiConfig(String more) throws Exception {
    Files.writeString(project.resolve("groundwork.yaml"), "models:\n  retries: 0\n  openai: {base_url: \"" + openai.baseUrl() + "\", api_key: \"k\"}\n" + more);
  }

  void writeSupportRoute(String policy) throws Exception {
    writeOpenAiConfig("routes:\n  support: {models: [extractive, \"openai:gpt-4.1-mini\"], policy: " + policy + "}\n");
  }

  @Test
  void aRouteAnswersCheapFirstAndEscalatesWhatTheCheapModelRefuses() throws Exception {
    writeSupportRoute("cascade");
    try {
      // the extractive answerer has the answer: the strong model is never called
      Cli cheap = ask("--model", "route:support", "--json", "How many attempts does a job get?");
      assertThat(cheap.code()).as(cheap.err()).isZero();
      JsonNode c = cheap.json();
      assertThat(c.path("model").asText()).isEqualTo("extractive");
      assertThat(c.path("answer").asText()).contains("5 attempts");
      assertThat(c.path("routing").path("route").asText()).isEqualTo("support");
      assertThat(c.path("routing").path("escalated").asBoolean()).isFalse();
      assertThat(c.path("routing").path("attempts")).hasSize(1);
      assertThat(openai.requests()).isEmpty();

      // it refuses although the sources were retrieved: the strong model answers from the same sources
      openai.enqueue(openai.text("The beta service listens on port 4343 [2].", 900, 0, 12));
      Cli escalated = ask("--model", "route:support", "--json", "Which port does the beta service listen on?");
      assertThat(escalated.code()).as(escalated.err()).isZero();
      JsonNode e = escalated.json();
      assertThat(e.path("model").asText()).isEqualTo("openai:gpt-4.1-mini");
      assertThat(e.path("refused").asBoolean()).isFalse();
      JsonNode attempts = e.path("routing").path("attempts");
      assertThat(attempts).hasSize(2);
      assertThat(attempts.get(0).path("model").asText()).isEqualTo("extractive");
      assertThat(attempts.get(0).path("accepted").asBoolean()).isFalse();
      assertThat(attempts.get(0).path("reason").asText()).startsWith("refused although");
      assertThat(attempts.get(1).path("accepted").asBoolean()).isTrue();
      assertThat(attempts.get(1).path("input_tokens").asInt()).isEqualTo(900);
      assertThat(e.path("cost_usd").asDouble()).isPositive().isEqualTo(attempts.get(1).path("cost_usd").asDouble() + attempts.get(0).path("cost_usd").asDouble());
      // one retrieval: the sources the strong model saw are the ones the route retrieved
      String sent = openai.lastRequest().json().path("messages").toString();
      assertThat(sent).contains("The alpha service listens on port 4242", "Which port does the beta service listen on?");
      assertThat(e.path("steps").findValuesAsText("step")).containsOnlyOnce("embed_query");

      // streaming: the cheap refusal is held back, the strong model streams
      openai.enqueue(openai.stream(List.of("Port ", "4343 ", "[2]."), 900, 5, true));
      Cli streamed = ask("--model", "route:support", "--stream", "Which port does the beta service listen on?");
      assertThat(streamed.code()).as(streamed.err()).isZero();
      assertThat(streamed.out()).startsWith("Port 4343 [2].\n").doesNotContain("do not contain");

      // a route is a model name for eval too: each case goes through the cascade
      Path suite = project.resolve("routed.yaml");
      Files.writeString(suite, """
          cases:
            - id: attempts
              question: How many attempts does a job get?
              assert: [{type: contains, value: "5 attempts"}]
            - id: beta
              question: Which port does the gamma service listen on?
              assert: [{type: contains, value: "5151"}]
          """);
      openai.enqueue(openai.text("The gamma service listens on port 5151 [1].", 900, 0, 12));
      Cli eval = Cli.run("eval", "-C", project.toString(), "--model", "route:support", "--json", suite.toString());
      assertThat(eval.code()).as(eval.err() + eval.out()).isZero();
      JsonNode run = eval.json().path("run");
      assertThat(run.path("fingerprint").path("answerer").asText()).isEqualTo("route:support");
      assertThat(run.path("cases").findValuesAsText("passed")).containsOnly("true");
      assertThat(run.path("cases").get(0).path("costUsd").asDouble()).isZero();
      assertThat(run.path("cases").get(1).path("costUsd").asDouble()).as("the escalated case paid for the strong model").isPositive();
      Files.delete(suite);

      Cli unknown = ask("--model", "route:sales", "Which port?");
      assertThat(unknown.code()).isEqualTo(Main.USAGE);
      assertThat(unknown.err()).contains("no route 'sales'", "support");
      Files.writeString(project.resolve("groundwork.yaml"), "routes:\n  support: {models: [extractive]}\n");
      Cli one = ask("--model", "route:support", "Which port?");
      assertThat(one.code()).isEqualTo(Main.USAGE);
      assertThat(one.err()).contains("groundwork.yaml", "routes.support.models", "two or more models");
      Files.writeString(project.resolve("groundwork.yaml"), "routes:\n  support: {models: [extractive, \"openai:x\"], policy: learned}\n");
      assertThat(ask("--model", "route:support", "Which port?").err()).contains("routes.support.policy", "needs a promoted router", "router train");
    } finally {
      Files.delete(project.resolve("groundwork.yaml"));
    }
  }

  @Test
  void aRouteWithMinLogprobEscalatesAnUnsureCheapModel() throws Exception {
    writeOpenAiConfig("routes:\n  careful: {models: [\"openai:gpt-4.1-nano\", \"openai:gpt-4.1\"], min_logprob: -1.0}\n");
    try {
      // the cheap model answers, but unsure (every token at -2.3): the strong one answers from the same sources
      openai.enqueue(openai.textWithLogprob("A job gets 5 attempts [1].", -2.3, 900, 8), openai.textWithLogprob("A job gets 5 attempts [1].", -0.05, 900, 8));
      Cli unsure = ask("--model", "route:careful", "--json", "How many attempts does a job get?");
      assertThat(unsure.code()).as(unsure.err()).isZero();
      JsonNode u = unsure.json();
      assertThat(u.path("model").asText()).isEqualTo("openai:gpt-4.1");
      JsonNode attempts = u.path("routing").path("attempts");
      assertThat(attempts).hasSize(2);
      assertThat(attempts.get(0).path("reason").asText()).isEqualTo("unsure: mean token log-probability -2.30 < -1.00");
      assertThat(openai.requests()).hasSize(2).allSatisfy(r -> assertThat(r.json().path("logprobs").asBoolean()).isTrue());
      // a sure cheap answer is kept
      openai.enqueue(openai.textWithLogprob("A job gets 5 attempts [1].", -0.2, 900, 8));
      Cli sure = ask("--model", "route:careful", "--json", "How many attempts does a job get?");
      assertThat(sure.json().path("model").asText()).isEqualTo("openai:gpt-4.1-nano");
      assertThat(sure.json().path("routing").path("attempts")).hasSize(1);
      // out of range: a clear error naming the key
      writeOpenAiConfig("routes:\n  careful: {models: [\"openai:gpt-4.1-nano\", \"openai:gpt-4.1\"], min_logprob: 0.5}\n");
      Cli bad = ask("--model", "route:careful", "Which port?");
      assertThat(bad.code()).isEqualTo(Main.USAGE);
      assertThat(bad.err()).contains("routes.careful.min_logprob");
    } finally {
      Files.delete(project.resolve("groundwork.yaml"));
    }
  }

  @Test
  void aRouterTrainsOnTheRoutesLoggedEscalationsAndFeedback() throws Exception {
    writeSupportRoute("learned");
    // production traffic as the log keeps it: port questions escalated past the extractive answerer,
    // attempts questions kept and rated up; and one question of no use (kept, never rated)
    java.util.Random r = new java.util.Random(5);
    String[] services = {"alpha", "beta", "gamma", "delta", "billing", "search", "mail", "auth"};
    try (var store = dev.groundwork.store.jdbc.JdbcStore.sqlite(project.resolve(".groundwork/groundwork.db"));
        var log = new dev.groundwork.store.jdbc.JdbcQueryLog(store)) {
      for (int i = 0; i <= 80; i++) {
        boolean port = i % 2 == 0;
        String s = services[r.nextInt(services.length)];
        String q = port ? "Which port does the " + s + " service listen on?" : "How many attempts does a " + s + " job get?";
        String attempts = port
            ? "[{\"model\": \"extractive\", \"accepted\": false, \"reason\": \"refused although 4 sources were retrieved\"}, "
                + "{\"model\": \"openai:gpt-4.1-mini\", \"accepted\": true, \"reason\": \"\"}]"
            : "[{\"model\": \"extractive\", \"accepted\": true, \"reason\": \"\"}]";
        log.record(new dev.groundwork.core.log.QueryLog.Entry("q_log" + i, java.time.Instant.ofEpochMilli(1_000_000 + i), null, q, "a", false,
            port ? "openai:gpt-4.1-mini" : "extractive", false, List.of(), List.of(), List.of(), 1, 1, 0.0, 1, null, null,
            "{\"route\": \"support\", \"policy\": \"learned\", \"escalated\": " + port + ", \"attempts\": " + attempts + "}", null));
        if (!port && i < 80) log.feedback(new dev.groundwork.core.log.QueryLog.Feedback("q_log" + i, "up", null, null, java.time.Instant.now()));
      }
    }
    try {
      Cli train = Cli.run("router", "train", "-C", project.toString(), "--route", "support", "--from-log", "--strong-share", "0.5", "--json");
      assertThat(train.code()).as(train.err()).isZero();
      JsonNode t = train.json();
      // the port question at i = 80 is labelled by its escalation; the unrated kept answer is left out
      assertThat(t.path("n_train").asInt() + t.path("n_heldout").asInt()).isEqualTo(81);
      assertThat(t.path("heldout_apgr").asDouble()).isGreaterThan(t.path("random_apgr").asDouble() + 0.2);
      assertThat(Cli.run("versions", "show", "-C", project.toString(), t.path("version").asText()).out()).contains("log:81");
    } finally {
      Files.delete(project.resolve("groundwork.yaml"));
    }
  }

  @Test
  void aLearnedRouteSendsWhatItsRouterExpectsTheCheapModelToFailStraightToTheStrongOne(@TempDir Path dir) throws Exception {
    // outcomes of the route's two models: the extractive answerer fails every question about ports
    StringBuilder jsonl = new StringBuilder();
    java.util.Random r = new java.util.Random(3);
    String[] services = {"alpha", "beta", "gamma", "delta", "billing", "search", "mail", "auth"};
    for (int i = 0; i < 80; i++) {
      boolean port = i % 2 == 0;
      String s = services[r.nextInt(services.length)];
      String q = port ? "Which port does the " + s + " service listen on?" : "How many attempts does a " + s + " job get?";
      jsonl.append("{\"id\": \"c").append(i).append("\", \"prompt\": \"").append(q).append("\", \"scores\": {\"extractive\": ").append(port ? 0 : 1)
          .append(", \"openai:gpt-4.1-mini\": 1}}\n");
    }
    Path outcomes = dir.resolve("outcomes.jsonl");
    Files.writeString(outcomes, jsonl);
    writeSupportRoute("learned");
    try {
      // half the questions need the strong model, and the threshold sends half there
      Cli train = Cli.run("router", "train", "-C", project.toString(), "--route", "support", "--outcomes", outcomes.toString(), "--strong-share", "0.5",
          "--json");
      assertThat(train.code()).as(train.err()).isZero();
      JsonNode t = train.json();
      assertThat(t.path("n_train").asInt() + t.path("n_heldout").asInt()).isEqualTo(80);
      // the words say it all here: the router is as good as the oracle on the held-out questions
      assertThat(t.path("heldout_apgr").asDouble()).isGreaterThan(t.path("random_apgr").asDouble() + 0.2)
          .isCloseTo(t.path("oracle_apgr").asDouble(), org.assertj.core.data.Offset.offset(0.02));
      String id = t.path("version").asText();
      assertThat(id).startsWith("router-");
      // not promoted yet: the learned route refuses to guess
      assertThat(ask("--model", "route:support", "Which port?").err()).contains("needs a promoted router");
      Cli promote = Cli.run("versions", "promote", "-C", project.toString(), id);
      assertThat(promote.code()).as(promote.err() + promote.out()).isZero();
      assertThat(promote.out()).contains("held-out APGR");

      openai.enqueue(openai.text("The alpha service listens on port 4242 [1].", 800, 0, 10));
      JsonNode hard = ask("--model", "route:support", "--json", "Which port does the alpha service listen on?").json();
      assertThat(hard.path("model").asText()).isEqualTo("openai:gpt-4.1-mini");
      JsonNode attempts = hard.path("routing").path("attempts");
      assertThat(attempts.get(0).path("model").asText()).isEqualTo("extractive");
      assertThat(attempts.get(0).path("reason").asText()).startsWith("skipped: router " + id);
      assertThat(attempts.get(0).path("latency_ms").asLong()).as("the cheap model was not asked").isZero();

      JsonNode easy = ask("--model", "route:support", "--json", "How many attempts does a job get?").json();
      assertThat(easy.path("model").asText()).as(easy.path("routing").toString()).isEqualTo("extractive");
      assertThat(easy.path("routing").path("attempts")).hasSize(1);
      assertThat(openai.requests()).hasSize(1);

      // a second router that is no better than the promoted one does not pass the gate
      Cli again = Cli.run("router", "train", "-C", project.toString(), "--route", "support", "--outcomes", outcomes.toString(), "--json");
      String id2 = again.json().path("version").asText();
      Cli refused = Cli.run("versions", "promote", "-C", project.toString(), id2);
      assertThat(refused.code()).isNotZero();
      assertThat(refused.out() + refused.err()).contains("promoted router", "p=");
    } finally {
      Files.delete(project.resolve("groundwork.yaml"));
      Project.deleteTree(project.resolve(".groundwork/versions")); // the other tests' routes have no router
    }
  }

  @Test
  void streamingPrintsTheTextThenTheSourcesWithUsageFromTheStream() {
    openai.enqueue(openai.stream(List.of("Port ", "4242 ", "[1]."), 900, 5, true));
    Cli c = ask("--model", "openai:gpt-4.1-mini", "--base-url", openai.baseUrl(), "--api-key", "k", "--stream", "Which port?");
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(c.out()).startsWith("Port 4242 [1].\n").contains("[1] docs/retries.md").contains("openai:gpt-4.1-mini").doesNotContain("estimated");
    assertThat(openai.lastRequest().json().path("stream_options").path("include_usage").asBoolean()).isTrue();
  }

  @Test
  void whenTheFirstModelKeepsFailingTheFallbackAnswersAndTheAnswerSaysWhy() throws Exception {
    for (int i = 0; i < 3; i++) openai.enqueue(openai.error(500, "server_error", "boom"));
    anthropic.enqueue(anthropic.text("Five attempts [1].", 800, 0, 6));
    Files.writeString(project.resolve("groundwork.yaml"), """
        models:
          retries: 2
          anthropic: {base_url: "%s", api_key: "ak"}
        """.formatted(anthropic.baseUrl()));
    try {
      Cli c = ask("--model", "openai:gpt-4.1-mini", "--base-url", openai.baseUrl(), "--api-key", "k", "--fallback", "anthropic:claude-haiku-4-5",
          "--json", "How many attempts?");
      assertThat(c.code()).as(c.err()).isZero();
      JsonNode g = c.json().path("generation");
      assertThat(g.path("answered_by").asText()).isEqualTo("anthropic:claude-haiku-4-5");
      assertThat(g.path("fallback").asBoolean()).isTrue();
      assertThat(g.path("failures").get(0).asText()).startsWith("openai:gpt-4.1-mini: server_error");
      assertThat(openai.requests()).hasSize(3); // the first try and two retries
      assertThat(c.json().path("cost_usd").asDouble()).isPositive();
    } finally {
      Files.delete(project.resolve("groundwork.yaml"));
    }
  }

  @Test
  void aVerifierModelChecksEachAnswerAgainstItsSourcesBeforeItIsReturned() throws Exception {
    writeOpenAiConfig("answer: {verifier: \"openai:gpt-4.1-mini\", min_verification: 0.5}\n");
    try {
      // the extractive answer quotes the retries sentence; the verifier finds it unsupported
      openai.enqueue(openai.text("{\"score\": 0.1, \"reason\": \"source [1] counts attempts of the old scheduler\"}", 400, 0, 20));
      Cli refused = ask("--json", "How many attempts does a job get in total?");
      assertThat(refused.code()).as(refused.err()).isZero();
      JsonNode r = refused.json();
      assertThat(r.path("refused").asBoolean()).isTrue();
      assertThat(r.path("answer").asText()).contains("old scheduler");
      assertThat(r.path("citations")).isEmpty();
      assertThat(r.path("verification").path("verifier").asText()).isEqualTo("openai:gpt-4.1-mini");
      assertThat(r.path("verification").path("passed").asBoolean()).isFalse();
      assertThat(r.path("steps").findValuesAsText("step")).contains("verify");
      assertThat(r.path("cost_usd").asDouble()).as("the check is priced").isPositive();
      String sent = openai.lastRequest().json().path("messages").toString();
      assertThat(sent).contains("a job get in total?", "A job gets 5 attempts in total", "entailed");

      openai.enqueue(openai.text("{\"score\": 0.95, \"reason\": \"supported\"}", 400, 0, 5));
      JsonNode ok = ask("--json", "How many attempts does a job get?").json();
      assertThat(ok.path("refused").asBoolean()).isFalse();
      assertThat(ok.path("answer").asText()).contains("5 attempts");
      assertThat(ok.path("verification").path("passed").asBoolean()).isTrue();

      openai.enqueue(openai.error(500, "server_error", "boom"));
      JsonNode down = ask("--json", "How many attempts does a job get?").json();
      assertThat(down.path("refused").asBoolean()).as("no check, no answer").isTrue();
      assertThat(down.path("verification").path("reason").asText()).contains("could not be checked");
    } finally {
      Files.delete(project.resolve("groundwork.yaml"));
    }
  }

  @Test
  void aRewriteModelMakesAFollowUpStandaloneAndTheRuleStandsInWhenItFails() throws Exception {
    writeOpenAiConfig("answer: {rewrite_model: \"openai:gpt-4.1-mini\"}\n");
    try (dev.groundwork.app.LiveProject live = new dev.groundwork.app.LiveProject(dev.groundwork.app.Project.open(project, true), line -> {});
        dev.groundwork.server.GroundworkServer server = dev.groundwork.server.GroundworkServer.builder().answering(live.answering())
            .queryLog(live.project().queryLog()).auth(false).port(0).build().start()) {
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      java.util.function.Function<String, JsonNode> chat = last -> {
        String body = "{\"model\": \"extractive\", \"messages\": [{\"role\": \"user\", \"content\": \"Tell me about the alpha service.\"},"
            + "{\"role\": \"assistant\", \"content\": \"It is one of our services [1].\"}, {\"role\": \"user\", \"content\": \"" + last + "\"}]}";
        try {
          var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/v1/chat/completions"))
              .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
          assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
          return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      };
      openai.enqueue(openai.text("Which port does the alpha service listen on?", 120, 0, 10));
      JsonNode a = chat.apply("Which port does it listen on?");
      JsonNode rw = a.path("groundwork").path("rewrite");
      assertThat(rw.path("method").asText()).isEqualTo("model:openai:gpt-4.1-mini");
      assertThat(rw.path("query").asText()).isEqualTo("Which port does the alpha service listen on?");
      assertThat(a.path("choices").get(0).path("message").path("content").asText()).contains("4242");
      assertThat(a.path("groundwork").path("cost_usd").asDouble()).as("the rewrite call is priced").isPositive();
      String sent = openai.lastRequest().json().path("messages").toString();
      assertThat(sent).contains("standalone question", "Tell me about the alpha service.", "Last message: Which port does it listen on?");

      openai.enqueue(openai.error(500, "server_error", "boom"));
      JsonNode down = chat.apply("Which port does it listen on?");
      assertThat(down.path("groundwork").path("rewrite").path("method").asText()).isEqualTo("rule");
      assertThat(down.path("groundwork").path("rewrite").path("note").asText()).contains("openai:gpt-4.1-mini failed", "offline rule");
      assertThat(down.path("choices").get(0).path("message").path("content").asText()).contains("4242");

      int calls = openai.requests().size();
      JsonNode standalone = chat.apply("How many attempts does a job get in total?");
      assertThat(openai.requests()).as("a question that stands on its own costs no rewrite call").hasSize(calls);
      assertThat(standalone.path("groundwork").path("rewrite").path("method").asText()).isEqualTo("none");
    } finally {
      Files.delete(project.resolve("groundwork.yaml"));
    }
  }

  @Test
  void syntheticQuestionsShowTheirCostFirstAndAreWrittenOnlyWithYes() throws Exception {
    writeOpenAiConfig("");
    try {
      Cli ask = Cli.run("tune", "retrieval", "-C", project.toString(), "--synthetic", "2", "--synthetic-model", "openai:gpt-4.1-mini");
      assertThat(ask.code()).isEqualTo(Main.USAGE);
      assertThat(ask.err()).contains("synthetic questions with openai:gpt-4.1-mini", "input and", "output tokens", "about $", "nothing was spent", "--yes");
      assertThat(openai.requests()).as("the estimate calls no model").isEmpty();

      openai.enqueue(openai.text("How many attempts does a job get?", 80, 0, 9), openai.text("Which port does the alpha service use?", 80, 0, 9));
      Cli spent = Cli.run("tune", "retrieval", "-C", project.toString(), "--synthetic", "2", "--synthetic-model", "openai:gpt-4.1-mini", "--yes");
      // two questions are far too few to train on, and the refusal says where they came from
      assertThat(spent.code()).isEqualTo(Main.USAGE);
      assertThat(spent.err()).contains("too few questions", "synthetic:openai:gpt-4.1-mini=2");
      assertThat(openai.requests()).hasSize(2);
      String sent = openai.requests().get(0).json().path("messages").toString() + openai.requests().get(1).json().path("messages").toString();
      assertThat(sent).contains("Write one question", "5 attempts in total", "port 4242");
      assertThat(Cli.run("tune", "retrieval", "-C", project.toString(), "--synthetic", "2").err()).contains("--synthetic-model");
    } finally {
      Files.delete(project.resolve("groundwork.yaml"));
    }
  }

  @Test
  void aRouteIsAFallbackToo() throws Exception {
    writeSupportRoute("cascade");
    try {
      openai.enqueue(openai.error(503, "server_error", "overloaded"));
      Cli c = ask("--model", "openai:gpt-4.1-mini", "--fallback", "route:support", "--json", "How many attempts does a job get in total?");
      assertThat(c.code()).as(c.err()).isZero();
      JsonNode a = c.json();
      assertThat(a.path("answer").asText()).contains("5 attempts");
      JsonNode attempts = a.path("routing").path("attempts");
      assertThat(attempts.get(0).path("model").asText()).isEqualTo("openai:gpt-4.1-mini");
      assertThat(attempts.get(0).path("accepted").asBoolean()).isFalse();
      assertThat(attempts.get(0).path("reason").asText()).startsWith("failed:");
      assertThat(attempts.get(1).path("model").asText()).as("the route's cheap first model answered").isEqualTo("extractive");
      assertThat(attempts.get(1).path("accepted").asBoolean()).isTrue();
      assertThat(a.path("routing").path("route").asText()).isEqualTo("support");

      Cli unknown = ask("--model", "openai:gpt-4.1-mini", "--fallback", "route:nope", "Which port?");
      assertThat(unknown.code()).isEqualTo(Main.USAGE);
      assertThat(unknown.err()).contains("no route 'nope'", "support");
    } finally {
      Files.delete(project.resolve("groundwork.yaml"));
    }
  }

  @Test
  void aSchemaIsEnforcedWithOneRetryAndAClearFailure() throws Exception {
    Path schema = project.resolve("answer.schema.json");
    Files.writeString(schema, """
        {"type": "object", "required": ["attempts"], "properties": {"attempts": {"type": "integer"}}}""");
    openai.enqueue(openai.text("{\"attempts\": \"five\"}", 100, 0, 5), openai.text("{\"attempts\": 5}", 120, 0, 5));
    Cli ok = ask("--model", "openai:gpt-4.1-mini", "--base-url", openai.baseUrl(), "--api-key", "k", "--schema", schema.toString(), "--json",
        "How many attempts?");
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.json().path("answer").asText()).isEqualTo("{\"attempts\": 5}");
    assertThat(openai.requests()).hasSize(2);
    String retry = openai.lastRequest().json().path("messages").toString();
    assertThat(retry).contains("does not match the JSON Schema", "attempts");

    openai.enqueue(openai.text("no json", 100, 0, 5), openai.text("still none", 100, 0, 5));
    Cli bad = ask("--model", "openai:gpt-4.1-mini", "--base-url", openai.baseUrl(), "--api-key", "k", "--schema", schema.toString(), "How many?");
    assertThat(bad.code()).as("a reply that never matched --schema is a run-time failure").isEqualTo(Main.RUNTIME);
    assertThat(bad.err()).contains("does not match the JSON Schema after one retry");

    Cli extractive = ask("--schema", schema.toString(), "How many?");
    assertThat(extractive.code()).isEqualTo(2);
    assertThat(extractive.err()).contains("--schema needs a language model");
  }

  @Test
  void aHostedEmbedderIndexesAndPricesTheQueryEmbedding(@TempDir Path other) throws Exception {
    Files.createDirectories(other.resolve("docs"));
    Files.writeString(other.resolve("docs/a.md"), "# Alpha\n\nThe alpha service listens on port 4242.\n");
    Files.writeString(other.resolve("groundwork.yaml"), """
        embedder: {model: "openai:fake-embed"}
        models: {openai: {base_url: "%s", api_key: "k"}}
        prices: {"openai:fake-embed": {input: 0.02}}
        """.formatted(openai.baseUrl()));
    Cli ingest = Cli.run("ingest", "-C", other.toString(), "docs");
    assertThat(ingest.code()).as(ingest.err()).isZero();
    assertThat(openai.requests()).anyMatch(r -> r.path().endsWith("/embeddings"));
    Cli c = Cli.run("ask", "-C", other.toString(), "--json", "Which port does the alpha service listen on?");
    assertThat(c.code()).as(c.err()).isZero();
    JsonNode embed = c.json().path("steps").get(0);
    assertThat(embed.path("model").asText()).isEqualTo("openai:fake-embed");
    assertThat(embed.path("input_tokens").asInt()).isPositive();
    assertThat(embed.path("cost_usd").asDouble()).isPositive();
    assertThat(c.json().path("answer").asText()).contains("4242");
  }

  @Test
  void evalGradesWithAJudgeAndARerunOfUnchangedCasesCostsNothing() throws Exception {
    Path suite = project.resolve("judged.yaml");
    Files.writeString(suite, """
        cases:
          - id: attempts
            question: How many attempts does a job get?
            assert: [{type: llm-rubric, value: "says a job gets 5 attempts", threshold: 0.7}, {type: cites}]
        """);
    openai.enqueue(openai.text("A job gets 5 attempts [1].", 900, 0, 8), openai.text("{\"score\": 0.9, \"reason\": \"says 5\"}", 200, 0, 9));
    String[] args = {"eval", "-C", project.toString(), "--model", "openai:gpt-4.1-mini", "--judge", "openai:gpt-4.1-mini", "--base-url",
        openai.baseUrl(), "--api-key", "k", "--json", suite.toString()};
    Cli first = Cli.run(args);
    assertThat(first.code()).as(first.err()).isZero();
    JsonNode c1 = first.json().path("run").path("cases").get(0);
    assertThat(c1.path("passed").asBoolean()).as(first.out()).isTrue();
    var prices = dev.groundwork.core.model.ModelRegistry.discover().prices();
    // the case costs what the answer cost; the judge's spend is reported beside it, not mixed in
    assertThat(c1.path("costUsd").asDouble())
        .isCloseTo(prices.cost("openai:gpt-4.1-mini", new dev.groundwork.core.model.TokenUsage(900, 0, 8, false)), org.assertj.core.data.Offset.offset(1e-12));
    JsonNode j1 = first.json().path("run").path("judge");
    assertThat(j1.path("calls").asInt()).isEqualTo(1);
    assertThat(j1.path("cached").asInt()).isZero();
    assertThat(j1.path("inputTokens").asLong()).isEqualTo(200);
    assertThat(j1.path("outputTokens").asLong()).isEqualTo(9);
    assertThat(j1.path("costUsd").asDouble())
        .isCloseTo(prices.cost("openai:gpt-4.1-mini", new dev.groundwork.core.model.TokenUsage(200, 0, 9, false)), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(openai.requests()).hasSize(2); // the answer and the judge
    Cli table = Cli.run(java.util.Arrays.stream(args).filter(a -> !a.equals("--json")).toArray(String[]::new));
    assertThat(table.out()).contains("judge openai:gpt-4.1-mini: 1 calls (1 from the cache), 0 input + 0 output tokens, $0.000000");

    Cli second = Cli.run(args);
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(openai.requests()).as("everything came from the cache").hasSize(2);
    JsonNode c2 = second.json().path("run").path("cases").get(0);
    assertThat(c2.path("passed").asBoolean()).isTrue();
    assertThat(c2.path("costUsd").asDouble()).isZero();
    assertThat(second.json().path("run").path("judge").path("cached").asInt()).isEqualTo(1);
    assertThat(second.json().path("run").path("judge").path("costUsd").asDouble()).isZero();

    openai.enqueue(openai.text("A job gets 5 attempts [1].", 900, 0, 8), openai.text("not a verdict", 200, 0, 9));
    String[] noCache = java.util.Arrays.copyOf(args, args.length + 1);
    noCache[args.length] = "--no-cache";
    Cli third = Cli.run(noCache);
    assertThat(openai.requests()).hasSize(4);
    JsonNode c3 = third.json().path("run").path("cases").get(0);
    assertThat(c3.path("passed").asBoolean()).isFalse();
    assertThat(c3.toString()).contains("judge error: unparseable judge output");

    Cli noJudge = Cli.run("eval", "-C", project.toString(), suite.toString());
    assertThat(noJudge.code()).isEqualTo(2);
    assertThat(noJudge.err()).contains("llm-rubric needs a judge model");
  }

  @Test
  void badModelNamesAndMissingKeysAreUsageErrors() {
    Cli unknown = ask("--model", "mistral:large", "q");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown provider 'mistral'");
    Cli auth = ask("--model", "openai:gpt-4.1-mini", "--base-url", openai.baseUrl(), "--api-key", "k", "q");
    assertThat(auth.code()).as("the fake answers; the call works").isZero();
    openai.enqueue(openai.error(401, "invalid_request_error", "Incorrect API key provided"));
    Cli denied = ask("--model", "openai:gpt-4.1-mini", "--base-url", openai.baseUrl(), "--api-key", "wrong", "q");
    assertThat(denied.code()).isEqualTo(Main.RUNTIME);
    assertThat(denied.err()).contains("authentication", "check the API key");
  }

  @Test
  void aModelThatKeepsFailingWithoutAFallbackExitsWithFour() {
    for (int i = 0; i < 3; i++) openai.enqueue(openai.error(503, "server_error", "overloaded"));
    Cli c = ask("--model", "openai:gpt-4.1-mini", "--base-url", openai.baseUrl(), "--api-key", "k", "How many attempts?");
    assertThat(c.code()).as(c.err()).isEqualTo(Main.RUNTIME);
    assertThat(c.err()).startsWith("groundwork: error: model call failed: ").contains("gave up after retries");
    assertThat(openai.requests()).hasSize(3); // the first try and the default two retries
  }

  @Test
  void aLocalGgufModelAnswersTheSameTwiceAndPullAndListWork() throws Exception {
    Path gguf = SharedData.require("tinyllamas-stories260K/stories260K.gguf");
    Files.writeString(project.resolve("groundwork.yaml"), "models: {context_window: 2048}\nanswer: {max_tokens: 32}\n");
    try {
      Cli a = ask("--model", "llamacpp:" + gguf, "--json", "Once upon a time");
      Cli b = ask("--model", "llamacpp:" + gguf, "--json", "Once upon a time");
      assertThat(a.code()).as(a.err()).isZero();
      assertThat(a.json().path("answer").asText()).isEqualTo(b.json().path("answer").asText());
      assertThat(a.json().path("cost_usd").asDouble()).isZero();
      assertThat(a.json().path("steps").get(1).path("output_tokens").asInt()).isPositive();
    } finally {
      Files.delete(project.resolve("groundwork.yaml"));
    }

    byte[] bytes = Files.readAllBytes(gguf);
    try (RawHttpServer files = new RawHttpServer((req, res) -> res.send(200, "application/octet-stream", bytes))) {
      Path models = project.resolve("models");
      Cli pull = Cli.run("models", "pull", "--dir", models.toString(), "http://127.0.0.1:" + files.port() + "/files/stories260K.gguf",
          "--sha256", "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d");
      assertThat(pull.code()).as(pull.err()).isZero();
      assertThat(pull.out()).contains("SHA-256 verified");
      assertThat(models.resolve("stories260K.gguf")).hasBinaryContent(bytes);
      Cli list = Cli.run("models", "list", "--dir", models.toString(), "--json");
      assertThat(list.json().path("models").toString()).contains("stories260k").contains(models.resolve("stories260K.gguf").toString());
      Files.writeString(project.resolve("groundwork.yaml"), "models: {context_window: 2048, models_dir: models}\nanswer: {max_tokens: 16}\n");
      try {
        Cli byName = ask("--model", "llamacpp:stories260k", "Once upon a time");
        assertThat(byName.code()).as(byName.err()).isZero();
      } finally {
        Files.delete(project.resolve("groundwork.yaml"));
      }
    }
  }
}
