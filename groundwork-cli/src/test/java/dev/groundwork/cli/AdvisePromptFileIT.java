package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.groundwork.app.Project;
import dev.groundwork.core.log.QueryLog;
import dev.groundwork.testkit.FakeLlmServer;
import dev.groundwork.testkit.FakeOpenAiServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * advise --try on a project whose prompts live in a versioned prompt file, with a language model (the
 * OpenAI stand-in over a socket): the schema the format cases check goes into the prompt, the house
 * style guide kept beside the examples pool is tried, a route is tried for latency, and a web search
 * (a SearXNG stand-in over a socket) for missing knowledge. --apply makes the winning prompt a prompt
 * version (the suites gate it), eval runs record it, eval compare shows it, and rollback restores the
 * file.
 */
class AdvisePromptFileIT {
  static final String SCHEMA = "{\"type\": \"object\", \"required\": [\"answer\", \"source\"], "
      + "\"properties\": {\"answer\": {\"type\": \"string\"}, \"source\": {\"type\": \"string\"}}}";
  static final String PROMPTS = """
      system: "You answer questions about Tidewater from the numbered sources."
      examples:
        - {question: "Where are logs kept?", sources: "[1] Logs go to /var/log/tidewater.", answer: "In /var/log/tidewater [1]."}
      """;

  @TempDir Path project;

  @Test
  void promptTriesOnAPromptFileBecomeAPromptVersionAndTheOtherTriesAreMeasured() throws Exception {
    HttpServer web = searxng();
    try (FakeOpenAiServer api = new FakeOpenAiServer()) {
      api.respondWith(req -> reply(api, req));
      String searx = "http://127.0.0.1:" + web.getAddress().getPort();
      Files.createDirectories(project.resolve("docs"));
      Files.createDirectories(project.resolve("suites"));
      Files.createDirectories(project.resolve("examples"));
      Files.writeString(project.resolve("docs/ops.md"), "# Operations\n\nThe dashboard listens on port 8089.\n");
      Files.writeString(project.resolve("docs/jobs.md"), "# Jobs\n\nA job gets 5 attempts.\n");
      Files.writeString(project.resolve("suites/reply.schema.json"), SCHEMA);
      Files.writeString(project.resolve("suites/s.yaml"), """
          name: s
          min_pass_rate: 0.5
          cases:
            - {id: j1, question: "Which port does the dashboard use?", expected: "8089", assert: [{type: json-schema, value: reply.schema.json}]}
            - {id: j2, question: "How many attempts does a job get?", expected: "5 attempts", assert: [{type: json-schema, value: reply.schema.json}]}
            - {id: t1, tags: [style], question: "What port is the dashboard on?", expected: "8089", assert: [{type: regex, value: "^Hello"}]}
            - {id: t2, tags: [style], question: "How often is a job tried?", expected: "5 attempts", assert: [{type: regex, value: "^Hello"}]}
            - {id: t3, tags: [style], question: "Which port serves the dashboard?", expected: "8089", assert: [{type: regex, value: "^Hello"}]}
            - {id: w1, question: "What is the codename of the next release?", expected: "Halyard", assert: [{type: contains, value: Halyard}]}
            - {id: ok1, tags: [critical], question: "What does the dashboard listen on?", expected: "8089"}
            - {id: ok2, question: "How many attempts are there for a job?", expected: "5 attempts"}
          """);
      // the style guide sits with the examples pool, apart from the suite
      Files.writeString(project.resolve("examples/style.md"), "Open every answer with \"Hello!\", then give the fact in one sentence.\n");
      Files.writeString(project.resolve("examples/pool.yaml"), """
          examples:
            - {question: "Where are backups kept?", sources: "[1] Backups go to the vault.", answer: "In the vault [1]."}
          """);
      Files.writeString(project.resolve("prompts.yaml"), PROMPTS);
      Files.writeString(project.resolve("groundwork.yaml"), """
          answer: {model: "openai:gpt-4.1-mini"}
          prompts: {file: prompts.yaml}
          models: {openai: {base_url: "%s", api_key: k}, retries: 0}
          routes:
            fast: {models: ["openai:gpt-4.1-nano", "openai:gpt-4.1-mini"], policy: fixed}
          web: {allow: [127.0.0.1/32]}
          """.formatted(api.baseUrl()));
      assertThat(Cli.run("ingest", "-C", project.toString(), "docs").code()).isZero();
      // a month of slow traffic: the latency symptom
      try (Project p = Project.open(project, true)) {
        List<QueryLog.Entry> traffic = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          traffic.add(new QueryLog.Entry("t-" + i, Instant.now().minusSeconds(3600L * (i + 1)), null, "recorded question " + i, "recorded answer", false,
              "openai:gpt-4.1-mini", false, List.of(), List.of(), List.of(), 0, 0, null, 4000 + i, null, null));
        }
        p.queryLog().recordAll(traffic);
      }
      Cli eval = Cli.run("eval", "-C", project.toString(), "--json");
      assertThat(eval.code()).as(eval.err()).isEqualTo(1);
      String baseline = eval.json().path("run").path("id").asText();

      Cli tried = Cli.run("advise", "-C", project.toString(), "--try", "--apply", "--p95-ms", "1000", "--web-search", searx, "--json");
      assertThat(tried.code()).as(tried.err()).isZero();
      JsonNode tries = tried.json().path("tries");
      JsonNode schema = only(tries, "format"), webTry = only(tries, "missing-knowledge");
      // the schema the cases check, stated in the prompt's rules
      assertThat(schema.path("change").path("prompts.rules").asText()).contains("matches this JSON Schema").contains("\"required\"");
      assertThat(schema.path("fixed")).extracting(JsonNode::asText).containsExactlyInAnyOrder("j1", "j2");
      // the style guide and the worked examples are separate tries
      List<JsonNode> tone = new ArrayList<>();
      for (JsonNode t : tries) if (t.path("symptom").asText().equals("tone")) tone.add(t);
      assertThat(tone).hasSize(2);
      JsonNode style = tone.stream().filter(t -> t.path("change").has("prompts.style")).findFirst().orElseThrow();
      assertThat(style.path("fixed")).extracting(JsonNode::asText).containsExactlyInAnyOrder("t1", "t2", "t3");
      // the route, then its cheapest model alone, answer faster at the same pass rate
      List<String> switched = new ArrayList<>();
      for (JsonNode latency : tries) {
        if (!latency.path("symptom").asText().equals("latency")) continue;
        switched.add(latency.path("change").path("answer.model").asText());
        assertThat(latency.path("ms_per_case_after").asDouble()).isLessThan(latency.path("ms_per_case_before").asDouble() * 0.9);
        assertThat(latency.path("pass_rate_after").asDouble()).isEqualTo(latency.path("pass_rate_before").asDouble());
      }
      assertThat(switched).containsExactly("route:fast", "openai:gpt-4.1-nano");
      // the web search finds what no document says
      assertThat(webTry.path("change").path("web.search_url").asText()).isEqualTo(searx);
      assertThat(webTry.path("fixed")).extracting(JsonNode::asText).containsExactly("w1");
      // the style guide fixes the most: it is recommended, and applied as a prompt version
      assertThat(style.path("recommended").asBoolean()).as(tries.toString()).isTrue();
      JsonNode applied = tried.json().path("applied");
      assertThat(applied.path("version").asText()).startsWith("prompt-");
      assertThat(applied.path("promoted").asBoolean()).as(applied.toString()).isTrue();
      assertThat(applied.path("gate").asText()).contains("suites pass");
      assertThat(Files.readString(project.resolve("prompts.yaml"))).contains("style:").contains("Hello!");
      assertThat(Files.readString(project.resolve("groundwork.yaml"))).contains("prompts: {file: prompts.yaml}"); // groundwork.yaml is untouched

      // eval runs record the prompt version, and eval compare shows which each run used
      Cli after = Cli.run("eval", "-C", project.toString(), "--json");
      String afterRun = after.json().path("run").path("id").asText();
      Cli compare = Cli.run("eval", "compare", "-C", project.toString(), baseline, afterRun);
      assertThat(compare.out()).containsPattern("prompt +unversioned:[0-9a-f]{12} \\(template [0-9a-f]{12}\\) -> " + applied.path("version").asText());
      assertThat(compare.out()).containsPattern("improved +t1");

      // rollback puts the prompt file back as it was
      Cli rollback = Cli.run("versions", "rollback", "prompt", "-C", project.toString());
      assertThat(rollback.code()).as(rollback.err()).isZero();
      assertThat(Files.readString(project.resolve("prompts.yaml"))).isEqualTo(PROMPTS);
    } finally {
      web.stop(0);
    }
  }

  @Test
  void aPromptFileIsValidatedWhereverItIsNamed() throws Exception {
    Files.writeString(project.resolve("groundwork.yaml"), "prompts: {file: prompts.yaml, system: \"x\"}\n");
    Cli both = Cli.run("versions", "add", "prompt", "-C", project.toString());
    assertThat(both.code()).isEqualTo(Main.USAGE);
    assertThat(both.err()).contains("prompts.system").contains("cannot be set beside prompts.file");
    Files.writeString(project.resolve("groundwork.yaml"), "prompts: {file: ../outside.yaml}\n");
    assertThat(Cli.run("versions", "add", "prompt", "-C", project.toString()).err()).contains("prompts.file").contains("inside the project folder");
    Files.writeString(project.resolve("groundwork.yaml"), "prompts: {file: prompts.yaml}\n");
    Files.writeString(project.resolve("prompts.yaml"), "examples:\n  - {question: q}\n");
    Cli bad = Cli.run("versions", "add", "prompt", "-C", project.toString());
    assertThat(bad.err()).contains("prompts.yaml").contains("examples[0].answer");
    Files.writeString(project.resolve("prompts.yaml"), "style: \"Short and plain.\"\nwhatever: 1\n");
    assertThat(Cli.run("versions", "add", "prompt", "-C", project.toString()).err()).contains("prompts.yaml").contains("whatever");
    Files.writeString(project.resolve("prompts.yaml"), "style: \"Short and plain.\"\n");
    Cli ok = Cli.run("versions", "add", "prompt", "-C", project.toString(), "--note", "short");
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).startsWith("added prompt-");
    // the extractive answerer uses no prompt: the gate says so rather than pass a change it cannot measure
    String id = ok.out().strip().split(" ")[1];
    Cli promote = Cli.run("versions", "promote", id, "-C", project.toString());
    assertThat(promote.code()).isEqualTo(1);
    assertThat(promote.out() + promote.err()).contains("extractive, which uses no prompt");
    // inline prompts cannot be versioned apart from groundwork.yaml
    Files.writeString(project.resolve("groundwork.yaml"), "prompts: {style: \"x\"}\n");
    assertThat(Cli.run("versions", "add", "prompt", "-C", project.toString()).err()).contains("prompt versions need them in a file of their own");
  }

  @Test
  void aServedProjectReloadsItsPromptFileWhenItChangesAndKeepsItsPromptWhenTheFileIsBad() throws Exception {
    Files.writeString(project.resolve("groundwork.yaml"), "prompts: {file: prompts.yaml}\n");
    Files.writeString(project.resolve("prompts.yaml"), "style: \"Short.\"\n");
    List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (dev.groundwork.app.LiveProject live = new dev.groundwork.app.LiveProject(Project.open(project, true), log::add)) {
      assertThat(live.refresh()).isFalse();
      Files.writeString(project.resolve("prompts.yaml"), "style: \"Plain words.\"\n");
      assertThat(live.refresh()).isTrue();
      assertThat(live.project().config().models().prompt().style()).isEqualTo("Plain words.");
      Files.writeString(project.resolve("prompts.yaml"), "style: [not, text]\n");
      assertThat(live.refresh()).isFalse();
      assertThat(live.project().config().models().prompt().style()).isEqualTo("Plain words.");
      assertThat(log).anySatisfy(l -> assertThat(l).contains("kept the running configuration").contains("prompts.yaml").contains("style"));
    }
  }

  private static JsonNode only(JsonNode tries, String symptom) {
    JsonNode found = null;
    for (JsonNode t : tries) {
      if (!t.path("symptom").asText().equals(symptom)) continue;
      assertThat(found).as("one " + symptom + " try in " + tries).isNull();
      found = t;
    }
    assertThat(found).as(symptom + " in " + tries).isNotNull();
    return found;
  }

  /** A SearXNG stand-in whose one result (and its page) says what no document does. */
  private static HttpServer searxng() throws Exception {
    HttpServer web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    String base = "http://127.0.0.1:" + web.getAddress().getPort();
    web.createContext("/", ex -> {
      String path = ex.getRequestURI().getPath();
      boolean search = path.equals("/search");
      String body = search ? "{\"query\": \"q\", \"results\": [{\"url\": \"" + base + "/releases\", \"title\": \"Releases\", "
          + "\"content\": \"The next release is codenamed Halyard.\", \"engine\": \"x\"}]}"
          : "<html><head><title>Releases</title></head><body><p>The next release is codenamed Halyard.</p></body></html>";
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", search ? "application/json" : "text/html; charset=utf-8");
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    web.start();
    return web;
  }

  /**
   * JSON when the rules give the schema; a greeting when the style guide asks for one; the codename when
   * a source has it; else the grounded quote. gpt-4.1-mini takes 60 ms longer than gpt-4.1-nano.
   */
  private static FakeLlmServer.Reply reply(FakeOpenAiServer api, FakeLlmServer.Recorded req) {
    String body = req.body();
    if (!req.path().endsWith("/chat/completions")) return null;
    if (body.contains("gpt-4.1-mini")) {
      try {
        Thread.sleep(60);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    String question = body.substring(body.lastIndexOf("Question: "));
    String quote = question.contains("codename") ? (body.contains("Halyard") ? "Halyard" : "not known") : question.contains("dashboard") ? "port 8089"
        : "5 attempts";
    if (body.contains("matches this JSON Schema")) return api.text("{\"answer\": \"" + quote + "\", \"source\": \"[1]\"}", 30, 0, 8);
    if (body.contains("Open every answer with")) return api.text("Hello! It is " + quote + " [1].", 30, 0, 8);
    return api.text("It is " + quote + " [1].", 30, 0, 8);
  }
}
