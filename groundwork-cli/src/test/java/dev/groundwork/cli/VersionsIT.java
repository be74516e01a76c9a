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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration versions end to end: the gate runs the project's suite with the candidate, promotion
 * writes groundwork.yaml, rollback restores it, eval runs record the version, and a running server
 * picks up a promotion without a restart and without failing a request.
 */
class VersionsIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String GOOD = "retrieval: {k: 6}\n";
  /** Answers by a model nobody serves (a closed port, no retries): every case fails, so the suite does. */
  static final String BROKEN_MODEL = "retrieval: {k: 6}\nanswer: {model: \"openai:gpt-4.1-mini\"}\n"
      + "models: {openai: {base_url: \"http://127.0.0.1:1/v1\", api_key: k}, retries: 0}\n";
  /** One chunk per question instead of six: visible in every answer's retrieved list. */
  static final String ONE_CHUNK = "retrieval: {k: 1}\n";
  @TempDir Path project;

  @BeforeEach
  void setUp() throws Exception {
    Files.createDirectories(project.resolve("docs"));
    Files.createDirectories(project.resolve("suites"));
    Files.writeString(project.resolve("docs/retention.md"), "# Retention\n\nDead jobs are kept for 30 days. Succeeded jobs are kept for 14 days.\n");
    Files.writeString(project.resolve("docs/retries.md"), "# Retries\n\nA job gets 5 attempts in total before the dead-letter queue.\n");
    Files.writeString(project.resolve("suites/basic.yaml"), """
        name: basic
        min_pass_rate: 1.0
        cases:
          - {id: dead-jobs, question: "How long are dead jobs kept?", assert: [{type: contains, value: 30 days}]}
          - {id: attempts, question: "How many attempts does a job get?", assert: [{type: contains, value: 5 attempts}]}
        """);
    Files.writeString(project.resolve("groundwork.yaml"), GOOD);
    assertThat(Cli.run("ingest", "-C", project.toString(), "docs").code()).isZero();
  }

  String add(String yaml, String name) throws Exception {
    Path f = project.resolve(name);
    Files.writeString(f, yaml);
    Cli c = Cli.run("versions", "add", "config", f.toString(), "-C", project.toString(), "--note", name);
    assertThat(c.code()).as(c.err()).isZero();
    return c.out().split("\\s+")[1];
  }

  @Test
  void theGateRunsTheSuitesPromotionWritesTheFileAndRollbackRestoresIt() throws Exception {
    String good = add(GOOD, "good.yaml");
    Cli first = Cli.run("versions", "promote", good, "-C", project.toString());
    assertThat(first.code()).as(first.out() + first.err()).isZero();
    assertThat(first.out()).contains("gate: suites pass: basic 100.0%", "promoted " + good);

    String bad = add(BROKEN_MODEL, "bad.yaml");
    Cli refused = Cli.run("versions", "promote", bad, "-C", project.toString());
    assertThat(refused.code()).isEqualTo(Main.FAILED_CHECKS);
    assertThat(refused.out()).contains("FAILED: suites below their min_pass_rate: basic 0.0% < 100.0%", good + " stays promoted");
    assertThat(Files.readString(project.resolve("groundwork.yaml"))).isEqualTo(GOOD);

    Cli forced = Cli.run("versions", "promote", bad, "--force", "-C", project.toString());
    assertThat(forced.code()).isZero();
    assertThat(Files.readString(project.resolve("groundwork.yaml"))).as("promotion writes the version as groundwork.yaml").isEqualTo(BROKEN_MODEL);
    JsonNode list = Cli.run("versions", "list", "--json", "-C", project.toString()).json();
    assertThat(list.path("promoted").path("config").asText()).isEqualTo(bad);
    assertThat(list.path("versions").findValuesAsText("parent")).contains(good);

    Cli back = Cli.run("versions", "rollback", "config", "-C", project.toString());
    assertThat(back.code()).as(back.err()).isZero();
    assertThat(Files.readString(project.resolve("groundwork.yaml"))).isEqualTo(GOOD);

    // a candidate that would change the index is refused before any suite runs
    String other = add("embedder: {model: all-minilm-l6-v2}\n", "other.yaml");
    Cli rebuild = Cli.run("versions", "promote", other, "-C", project.toString());
    assertThat(rebuild.code()).isEqualTo(Main.FAILED_CHECKS);
    assertThat(rebuild.out()).contains("changes how the index is built (embedder.model)", "ingest --rebuild");
    // a file that does not validate is not stored at all
    Files.writeString(project.resolve("broken.yaml"), "retrieval: {mode: semantic}\n");
    Cli broken = Cli.run("versions", "add", "config", project.resolve("broken.yaml").toString(), "-C", project.toString());
    assertThat(broken.code()).isEqualTo(Main.USAGE);
    assertThat(broken.err()).contains("retrieval.mode: got 'semantic'");
  }

  @Test
  void evalRunsRecordTheConfigurationVersionAndCompareShowsTheChange() throws Exception {
    String good = add(GOOD, "good.yaml");
    assertThat(Cli.run("versions", "promote", good, "-C", project.toString()).code()).isZero();
    Cli before = Cli.run("eval", "-C", project.toString(), "--json");
    assertThat(before.json().path("run").path("fingerprint").path("config_version").asText()).isEqualTo(good);
    String six = add("retrieval: {k: 5}\n", "five.yaml");
    assertThat(Cli.run("versions", "promote", six, "-C", project.toString()).code()).isZero();
    Cli after = Cli.run("eval", "-C", project.toString(), "--baseline", "last");
    assertThat(after.out()).contains("changed    config_version: " + good + " -> " + six);
  }

  @Test
  void aRunningServerPicksUpAPromotionWithoutARestartOrAFailedRequest() throws Exception {
    String one = add(ONE_CHUNK, "one.yaml");
    ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
    try (LiveProject live = new LiveProject(Project.open(project, true), log::add);
        GroundworkServer server = GroundworkServer.builder().answering(live.answering()).queryLog(live.project().queryLog()).auth(false)
            .port(0).build().start()) {
      live.watch(Duration.ofMillis(100));
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest ask = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/ask")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"question\": \"How long are dead jobs kept?\"}")).build();
      assertThat(JSON.readTree(http.send(ask, HttpResponse.BodyHandlers.ofString()).body()).path("retrieved").size()).isEqualTo(2);

      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger ok = new AtomicInteger();
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      List<Thread> clients = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        clients.add(Thread.ofVirtual().start(() -> {
          while (!stop.get()) {
            try {
              HttpResponse<String> r = http.send(ask, HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() == 200) ok.incrementAndGet();
              else failures.add(r.statusCode() + " " + r.body());
            } catch (Exception e) {
              failures.add(e.toString());
            }
          }
        }));
      }
      Thread.sleep(300);
      // promote through the CLI, as a user would, while the clients keep asking
      Cli promoted = Cli.run("versions", "promote", one, "-C", project.toString());
      assertThat(promoted.code()).as(promoted.out() + promoted.err()).isZero();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      boolean reloaded = false;
      while (!reloaded && System.nanoTime() < deadline) {
        reloaded = JSON.readTree(http.send(ask, HttpResponse.BodyHandlers.ofString()).body()).path("retrieved").size() == 1;
        if (!reloaded) Thread.sleep(50);
      }
      stop.set(true);
      for (Thread t : clients) t.join();
      assertThat(reloaded).as("the promoted configuration (k 1) answers within 10 s; log: " + log).isTrue();
      assertThat(failures).as("no request failed across the reload").isEmpty();
      assertThat(ok.get()).isPositive();
      assertThat(log).anySatisfy(l -> assertThat(l).contains("reloaded groundwork.yaml"));

      // an edit that would change the index is refused and the server keeps its configuration
      Files.writeString(project.resolve("groundwork.yaml"), "embedder: {model: all-minilm-l6-v2}\n");
      assertThat(live.refresh()).isFalse();
      assertThat(log).anySatisfy(l -> assertThat(l).contains("kept the running configuration", "embedder.model"));
      assertThat(JSON.readTree(http.send(ask, HttpResponse.BodyHandlers.ofString()).body()).path("retrieved").size()).isEqualTo(1);
    }
  }
}
