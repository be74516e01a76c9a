package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.app.LiveProject;
import dev.groundwork.app.Project;
import dev.groundwork.server.GroundworkServer;
import dev.groundwork.testkit.FakeFineTuningServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's whole path on the demo project, offline, in one scripted run: traffic and feedback
 * through a served project, then dataset build, check and export, a fine-tuning job (OpenAI's
 * fine-tuning API as the testkit's fake speaks it, which also answers as the tuned model), the model
 * registered, promoted through its gate or refused, and served through its alias. The transcript goes
 * to target/finetune-demo.txt, which the README quotes.
 */
class FineTuneDemoIT {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  /** Questions users ask that the suite does not: they become training data. */
  static final List<String> ASKED = List.of("Where does Tidewater write its audit log?", "How often is the audit log rotated?",
      "What does the queue.dead_retention setting control?", "Which file holds the broker configuration?",
      "What happens to a job after its last attempt fails?", "How do I upgrade a cluster to a new version?");

  @Test
  void fromTheLogToAServedFineTunedModel() throws Exception {
    Path demo = tmp.resolve("demo");
    List<String> transcript = new ArrayList<>();
    assertThat(Cli.run("demo", demo.toString()).code()).isZero();
    try (FakeFineTuningServer openai = new FakeFineTuningServer()) {
      Files.writeString(demo.resolve("groundwork.yaml"), Files.readString(demo.resolve("groundwork.yaml"))
          + "\nmodels:\n  openai: {base_url: \"" + openai.baseUrl() + "\", api_key: sk-demo}\n");

      // 1. traffic: users ask through the server and rate the answers
      try (LiveProject live = new LiveProject(Project.open(demo, true), x -> { });
          GroundworkServer server = GroundworkServer.builder().answering(live.answering()).queryLog(live.project().queryLog()).auth(false)
              .port(0).build().start()) {
        HttpClient http = HttpClient.newHttpClient();
        int i = 0;
        for (String q : ASKED) {
          JsonNode a = JSON.readTree(post(http, server, "/api/ask", "{\"question\": " + JSON.writeValueAsString(q) + "}"));
          String qid = a.path("query_id").asText();
          String fb = i++ == 4 ? "{\"query_id\": \"" + qid + "\", \"rating\": \"down\", \"corrected_answer\": \"It moves to the dead-letter queue [1].\"}"
              : "{\"query_id\": \"" + qid + "\", \"rating\": \"up\"}";
          post(http, server, "/api/feedback", fb);
        }
      }
      transcript.add("(6 questions asked through groundwork serve, 5 rated up, 1 corrected)");

      // 2. the dataset: built from the log, checked, exported
      Path data = demo.resolve("data/support.jsonl");
      run(transcript, 0, "dataset", "build", "-C", demo.toString(), "--from", "log", "--output", data.toString());
      // the check finds what should not be trained on: addresses in the retrieved sources; --scrub replaces them
      Cli check = run(transcript, 1, "dataset", "check", "-C", demo.toString(), data.toString(), "--target", "openai:gpt-4.1-mini");
      assertThat(check.out()).containsPattern("pii +FAIL");
      run(transcript, 0, "dataset", "check", "-C", demo.toString(), data.toString(), "--target", "openai:gpt-4.1-mini", "--scrub");
      run(transcript, 0, "dataset", "export", data.toString(), "--format", "openai", "--output", demo.resolve("data/openai").toString());

      // 3. the job: started, waited for, its model registered
      Cli start = run(transcript, 0, "tune", "start", "-C", demo.toString(), "--provider", "openai", "--model", "gpt-4.1-mini-2025-04-14",
          "--dataset", data.toString(), "--suffix", "support");
      String job = start.out().strip();
      Cli waited = run(transcript, 0, "tune", "wait", "-C", demo.toString(), job, "--poll-s", "0");
      String tuned = "openai:" + waited.out().strip();
      JsonNode stored = JSON.readTree(demo.resolve(".groundwork/tuning/jobs/" + job + ".json").toFile());
      String version = stored.path("version").asText();
      assertThat(version).startsWith("model-");

      // 4. the gate: the demo suite with the tuned model against production (the demo's extractive answerer)
      Cli promote = run(transcript, -1, "versions", "promote", version, "--alias", "support", "-C", demo.toString());
      assertThat(promote.out()).contains("gate: ").contains(tuned + " against extractive");
      boolean promoted = promote.code() == 0;
      assertThat(promoted ? promote.out().contains("promoted " + version + " onto support@production") : promote.out().contains("not promoted")).isTrue();
      // 5. served: through its alias (production if promoted, else as the candidate)
      String alias = promoted ? "support@production" : "support@candidate";
      if (!promoted) run(transcript, 0, "versions", "candidate", version, "--alias", "support", "-C", demo.toString());
      try (LiveProject live = new LiveProject(Project.open(demo, true), x -> { });
          GroundworkServer server = GroundworkServer.builder().answering(live.answering()).queryLog(live.project().queryLog()).auth(false)
              .port(0).build().start()) {
        String body = post(HttpClient.newHttpClient(), server, "/v1/chat/completions",
            "{\"model\": \"" + alias + "\", \"messages\": [{\"role\": \"user\", \"content\": \"How long are dead jobs kept?\"}]}");
        JsonNode r = JSON.readTree(body);
        assertThat(r.path("choices").get(0).path("message").path("content").asText()).as(body).startsWith("According to the sources");
        assertThat(r.path("groundwork").path("answered_by").asText()).as(body).isEqualTo(tuned);
        transcript.add("$ curl -d '{\"model\": \"" + alias + "\", ...}' localhost:8080/v1/chat/completions\n  answered by " + tuned + ": "
            + r.path("choices").get(0).path("message").path("content").asText());
      }
      assertThat(openai.requests).contains("POST /v1/files", "POST /v1/fine_tuning/jobs", "POST /v1/chat/completions");
    }
    Path out = Path.of("target/finetune-demo.txt");
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.write(out, transcript);
  }

  /** Runs a command, expecting {@code code} (-1: any), and adds it and its output to the transcript. */
  private static Cli run(List<String> transcript, int code, String... args) {
    Cli c = Cli.run(args);
    if (code >= 0) assertThat(c.code()).as(String.join(" ", args) + "\n" + c.out() + c.err()).isEqualTo(code);
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("-C")) {
        i++;
        continue;
      }
      shown.add(args[i].contains("/") ? Path.of(args[i]).getFileName().toString() : args[i]);
    }
    transcript.add("$ groundwork " + String.join(" ", shown));
    for (String l : (c.out() + c.err()).strip().split("\n")) if (!l.isBlank() && !l.startsWith("WARNING")) transcript.add("  " + l);
    return c;
  }

  private static String post(HttpClient http, GroundworkServer server, String path, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return r.body();
  }

}
