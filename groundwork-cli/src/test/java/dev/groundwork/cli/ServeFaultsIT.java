package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.core.log.QueryLog;
import dev.groundwork.store.jdbc.JdbcQueryLog;
import dev.groundwork.store.jdbc.JdbcStore;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code groundwork serve} process under faults: {@code kill -9} under load loses no logged
 * answer, SIGTERM under load drops no request, and a second writer is refused naming the first.
 */
class ServeFaultsIT {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path project;

  @BeforeAll
  static void ingest() throws Exception {
    Files.createDirectories(project.resolve("docs"));
    Files.writeString(project.resolve("docs/retries.md"), "# Retries\n\nA job gets 5 attempts in total before the dead-letter queue.\n");
    Files.writeString(project.resolve("docs/ports.md"), "# Ports\n\nThe alpha service listens on port 4242.\n");
    assertThat(Cli.run("ingest", "-C", project.toString(), "docs").code()).isZero();
  }

  record Served(Process process, int port, Path log) {}

  static Served serve(String... extra) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "-C",
        project.toString(), "--no-auth", "--port", String.valueOf(port)));
    cmd.addAll(List.of(extra));
    Path log = Files.createTempFile(project, "serve", ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.readString(log).contains("serving") && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(50);
    assertThat(Files.readString(log)).as("the server started").contains("serving");
    return new Served(p, port, log);
  }

  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  static HttpRequest chat(int port, int i, boolean stream) {
    String q = i % 2 == 0 ? "How many attempts does a job get?" : "Which port does the alpha service listen on?";
    String body = "{\"stream\": " + stream + ", \"messages\": [{\"role\": \"user\", \"content\": \"" + q + "\"}]}";
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions")).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  /** The query id of a complete answer (a stream counts only when it ended with [DONE]); null otherwise. */
  static String queryId(HttpResponse<String> r) throws IOException {
    return r.statusCode() == 200 ? dev.groundwork.bench.SoakBenchmark.queryId(r.body()) : null;
  }

  static Set<String> logged(List<String> ids) {
    try (JdbcStore store = JdbcStore.sqlite(project.resolve(".groundwork/groundwork.db")); QueryLog log = new JdbcQueryLog(store)) {
      Set<String> found = ConcurrentHashMap.newKeySet();
      for (String id : ids) if (log.get(id).isPresent()) found.add(id);
      return found;
    }
  }

  @Test
  void afterKill9UnderLoadEveryQueryIdAClientReceivedIsInTheLog() throws Exception {
    Served s = serve();
    List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicInteger sent = new AtomicInteger();
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < 300; w++) {
      workers.add(pool.submit(() -> {
        while (s.process().isAlive()) {
          int i = sent.incrementAndGet();
          try {
            String id = queryId(HTTP.send(chat(s.port(), i, i % 3 == 0), HttpResponse.BodyHandlers.ofString()));
            if (id != null) received.add(id);
          } catch (IOException e) {
            return null; // the process is gone
          }
        }
        return null;
      }));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (received.size() < 100 && System.nanoTime() < deadline) Thread.sleep(5);
    // a slow disk: another process holds SQLite's write lock for a while, so no commit can finish;
    // answers given meanwhile exist only in memory unless the server waits for its commit
    int beforeStall = received.size();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + project.resolve(".groundwork/groundwork.db"));
        java.sql.Statement st = c.createStatement()) {
      st.execute("BEGIN IMMEDIATE");
      Thread.sleep(1500);
      s.process().destroyForcibly(); // SIGKILL: no hook runs, nothing is flushed
      assertThat(s.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
      st.execute("ROLLBACK");
    }
    for (Future<?> f : workers) f.get(60, TimeUnit.SECONDS);
    pool.shutdown();
    List<String> ids = List.copyOf(received);
    assertThat(ids).as("answers before the kill; server log: %s", Files.readString(s.log())).hasSizeGreaterThanOrEqualTo(100);
    assertThat(beforeStall).isGreaterThanOrEqualTo(100);
    // the answers given while the database was stalled are in the journal; the next start records them
    Served again = serve();
    assertThat(Files.readString(again.log())).contains("from the query log's journal");
    again.process().destroy();
    assertThat(again.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    Set<String> found = logged(ids);
    assertThat(ids).as("query ids a client received but the log lost").allMatch(found::contains);
    try (var left = Files.list(project.resolve(".groundwork/journal"))) {
      assertThat(left.map(f -> f.getFileName().toString())).as("a clean stop leaves no journal segment").noneMatch(n -> n.startsWith("queries-"));
    }
  }

  @Test
  void sigtermUnderLoadAnswersEveryRequestItReadAndExits() throws Exception {
    // a server that has served nothing yet: its pipeline must be warm before the port opened
    Served s = serve("--grace", "20");
    Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    List<String> answered = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<String> dropped = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      int n = i;
      calls.add(pool.submit(() -> {
        String outcome;
        try {
          HttpResponse<String> r = HTTP.send(chat(s.port(), n, n % 4 == 0), HttpResponse.BodyHandlers.ofString());
          String id = queryId(r);
          if (id != null) answered.add(id);
          boolean openAiError = r.statusCode() != 200 && JSON.readTree(r.body()).path("error").has("message");
          outcome = r.statusCode() == 200 ? (id != null ? "200" : "200-incomplete") : r.statusCode() + (openAiError ? "" : "-not-openai-shape");
        } catch (ConnectException e) {
          outcome = "refused"; // never accepted: not a dropped request
        } catch (IOException e) {
          outcome = "dropped";
          dropped.add(e.toString());
        }
        outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
        return null;
      }));
      if (i == 40) {
        while (answered.size() < 10) Thread.sleep(2);
        s.process().destroy(); // SIGTERM
      }
    }
    for (Future<?> f : calls) f.get(90, TimeUnit.SECONDS);
    pool.shutdown();
    assertThat(s.process().waitFor(40, TimeUnit.SECONDS)).as("exited within the grace period").isTrue();
    String log = Files.readString(s.log());
    assertThat(dropped).as("connections closed without a response; outcomes %s; server log: %s", outcomes, log).isEmpty();
    assertThat(outcomes.keySet()).as("outcomes %s", outcomes).isSubsetOf(Set.of("200", "503", "refused"));
    assertThat(log).doesNotContain("Shutdown in progress").contains("every request was answered");
    assertThat(answered).as("answers after the signal too").hasSizeGreaterThan(10);
    Set<String> found = logged(List.copyOf(answered));
    assertThat(answered).as("answered but not logged").allMatch(found::contains);
  }

  @Test
  void aSecondServeOrAnIngestOnAServedProjectIsRefusedNamingThePid() throws Exception {
    Served s = serve();
    try {
      long pid = s.process().pid();
      Cli second = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Cli.run("serve", "-C", project.toString(), "--no-auth", "--port", "0"));
      assertThat(second.code()).isNotZero();
      assertThat(second.err()).contains("PID " + pid).contains("groundwork serve").doesNotContain("serving");
      Cli ingest = Cli.run("ingest", "-C", project.toString(), "docs");
      assertThat(ingest.code()).isNotZero();
      assertThat(ingest.err()).contains("PID " + pid);
      // the first server still answers
      assertThat(queryId(HTTP.send(chat(s.port(), 0, false), HttpResponse.BodyHandlers.ofString()))).isNotNull();
    } finally {
      s.process().destroy();
      s.process().waitFor(40, TimeUnit.SECONDS);
    }
    // once it has gone, the project is free again
    assertThat(Cli.run("ingest", "-C", project.toString(), "docs").code()).isZero();
  }
}
