package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.core.budget.BudgetLimit;
import dev.groundwork.core.budget.BudgetPeriod;
import dev.groundwork.store.jdbc.JdbcBudgetLedger;
import dev.groundwork.store.jdbc.JdbcStore;
import dev.groundwork.testkit.FakeOpenAiServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Budgets held by real {@code groundwork serve} processes sharing one PostgreSQL server, answering
 * with an OpenAI-compatible fake over a socket: concurrent requests split across two servers, one of
 * them killed and restarted midway, never spend past the budget; a stream the client cuts off is still
 * charged; a fallback chain charges the model that answered; the CLI exits 4.
 */
class BudgetsIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;
  String url;
  FakeOpenAiServer llm;
  final List<Process> servers = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    String base = System.getenv("GROUNDWORK_TEST_PG_URL");
    if (System.getenv("CI") == null) assumeTrue(base != null, "GROUNDWORK_TEST_PG_URL not set; run: eval \"$(bin/test-postgres.sh)\"");
    assertThat(base).as("CI must start PostgreSQL (bin/test-postgres.sh) and set GROUNDWORK_TEST_PG_URL").isNotNull();
    String schema = "b_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    try (Connection c = DriverManager.getConnection(base); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    }
    url = base + "&currentSchema=" + schema;
    llm = new FakeOpenAiServer();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Process p : servers) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    llm.close();
  }

  /** A project answering with openai:gpt-4.1-mini through the fake, its store on the shared PostgreSQL. */
  Path project(String name, String extraYaml) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.resolve("docs"));
    Files.writeString(p.resolve("docs/retries.md"), "# Retries\n\nA job gets 5 attempts in total before the dead-letter queue.\n");
    Files.writeString(p.resolve("docs/ports.md"), "# Ports\n\nThe alpha service listens on port 4242.\n");
    Files.writeString(p.resolve("groundwork.yaml"), """
        answer:
          model: openai:gpt-4.1-mini
          max_tokens: 100
        models:
          retries: 0
          openai: {base_url: "%s"}
        store:
          url: "%s"
        %s
        """.formatted(llm.baseUrl(), url, extraYaml));
    Cli ingest = Cli.run("ingest", "-C", p.toString(), "docs");
    assertThat(ingest.code()).as(ingest.err()).isZero();
    return p;
  }

  record Served(Process process, int port) {}

  Served serve(Path project) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    Path log = Files.createTempFile(dir, "serve", ".log");
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "-C", project.toString(), "--no-auth",
        "--port", String.valueOf(port)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    servers.add(p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.readString(log).contains("serving") && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(50);
    assertThat(Files.readString(log)).as("the server started").contains("serving");
    return new Served(p, port);
  }

  static HttpResponse<String> chat(int port, String question) throws Exception {
    String body = "{\"messages\": [{\"role\": \"user\", \"content\": \"" + question + "\"}]}";
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions")).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  double spent(BudgetPeriod period) {
    try (JdbcStore store = JdbcStore.open(url, null, null)) {
      return new JdbcBudgetLedger(store).spent(BudgetLimit.project(period, 1), Instant.now());
    }
  }

  /** The logged cost of every answered query, and how many there are. */
  double[] logged() throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COALESCE(SUM(cost_usd), 0), COUNT(*) FROM queries WHERE error IS NULL")) {
      rs.next();
      return new double[] {rs.getDouble(1), rs.getLong(2)};
    }
  }

  /** 25 concurrent questions, alternating between the servers; the responses in order. */
  static List<HttpResponse<String>> burst(List<Served> to) throws Exception {
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    List<Future<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      int port = to.get(i % to.size()).port();
      String q = i % 2 == 0 ? "How many attempts does a job get?" : "Which port does the alpha service listen on?";
      calls.add(pool.submit(() -> chat(port, q)));
    }
    List<HttpResponse<String>> out = new ArrayList<>();
    for (Future<HttpResponse<String>> f : calls) out.add(f.get(120, TimeUnit.SECONDS));
    pool.shutdown();
    return out;
  }

  @Test
  void fiftyConcurrentRequestsOnTwoServersAndARestartNeverSpendPastTheBudget() throws Exception {
    double budget = 0.004;
    llm.delay(Duration.ofMillis(100)); // calls overlap, as they do against a real provider
    Path a = project("a", "budgets: {day_usd: " + budget + "}");
    Path b = project("b", "budgets: {day_usd: " + budget + "}");
    Served first = serve(a);
    Served second = serve(b);
    List<HttpResponse<String>> all = new ArrayList<>(burst(List.of(first, second)));
    double midway = spent(BudgetPeriod.DAY);
    assertThat(midway).as("the first burst spent something").isPositive();
    // a restart in the middle: what was spent is in the database, not in the process
    first.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    Served again = serve(a);
    assertThat(spent(BudgetPeriod.DAY)).isEqualTo(midway, within(1e-12));
    all.addAll(burst(List.of(again, second)));

    long ok = all.stream().filter(r -> r.statusCode() == 200).count();
    List<HttpResponse<String>> refused = all.stream().filter(r -> r.statusCode() == 429).toList();
    assertThat(ok + refused.size()).as("every request was answered or refused for the budget").isEqualTo(50);
    assertThat(ok).isPositive();
    assertThat(refused).isNotEmpty();
    String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
    for (HttpResponse<String> r : refused) {
      JsonNode e = JSON.readTree(r.body()).path("error");
      assertThat(e.path("type").asText()).isEqualTo("insufficient_quota");
      assertThat(e.path("code").asText()).isEqualTo("budget_exceeded");
      assertThat(e.path("message").asText()).contains("the project's daily budget of $0.0040");
      assertThat(e.path("budget").path("scope").asText()).isEqualTo("project");
      assertThat(e.path("resets_at").asText()).isEqualTo(tomorrow);
      assertThat(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 86_400L);
    }
    double total = spent(BudgetPeriod.DAY);
    assertThat(total).as("never past the budget").isLessThanOrEqualTo(budget + 1e-12);
    double[] log = logged();
    assertThat(log[1]).isEqualTo(ok);
    // each reservation was settled to the answer's real cost: the ledger and the log agree
    assertThat(total).isEqualTo(log[0], within(1e-8));
    assertThat(total).as("the budget was used, not refused from the start").isGreaterThan(budget / 2);

    // cost shows the budget as the ledger has it
    JsonNode cost = Cli.run("cost", "-C", b.toString(), "--json").json();
    assertThat(cost.path("budgets")).singleElement().satisfies(n -> {
      assertThat(n.path("scope").asText()).isEqualTo("project");
      assertThat(n.path("period").asText()).isEqualTo("day");
      assertThat(n.path("spent_usd").asDouble()).isEqualTo(total, within(1e-12));
      assertThat(n.path("remaining_usd").asDouble()).isEqualTo(budget - total, within(1e-12));
      assertThat(n.path("resets_at").asText()).isEqualTo(tomorrow);
    });
    assertThat(Cli.run("cost", "-C", b.toString()).out()).contains("project daily").contains(tomorrow);

    // the command line is held to the same budget, and says so with exit code 4
    // (what concurrent refusals left may still fit a call or two: ask until the budget is spent)
    Cli cli = Cli.run("ask", "-C", a.toString(), "How many attempts does a job get?");
    for (int i = 0; i < 20 && cli.code() == 0; i++) cli = Cli.run("ask", "-C", a.toString(), "How many attempts does a job get?");
    assertThat(cli.code()).as(cli.out() + cli.err()).isEqualTo(4);
    assertThat(spent(BudgetPeriod.DAY)).isLessThanOrEqualTo(budget + 1e-12);
    assertThat(cli.err()).contains("the project's daily budget of $0.0040").contains("resets at " + tomorrow);
  }

  @Test
  void aDroppedStreamIsChargedAndAFallbackChainChargesTheModelThatAnswered() throws Exception {
    Path p = project("s", "budgets: {day_usd: 1}");
    Files.writeString(p.resolve("groundwork.yaml"), Files.readString(p.resolve("groundwork.yaml"))
        .replace("  max_tokens: 100\n", "  max_tokens: 100\n  fallback: [openai:gpt-4.1-nano]\n"));
    Served s = serve(p);

    // the first model fails with a 500; its fallback answers; only the answer's cost is charged
    llm.enqueue(llm.error(500, "server_error", "upstream broke"));
    HttpResponse<String> r = chat(s.port(), "How many attempts does a job get?");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode ext = JSON.readTree(r.body()).path("groundwork");
    assertThat(ext.path("answered_by").asText(ext.toString())).contains("gpt-4.1-nano");
    List<String> models = llm.requests().stream().map(q -> q.json().path("model").asText()).toList();
    assertThat(models).containsExactly("gpt-4.1-mini", "gpt-4.1-nano");
    double afterFallback = spent(BudgetPeriod.DAY);
    assertThat(afterFallback).isEqualTo(logged()[0], within(1e-9)).isPositive();

    // a stream the client drops after its first event, while the model is still generating (a piece
    // every 300 ms): the server finds out only when the reply is complete (its writes to the dropped
    // connection do not fail), so the call is charged what the model reported. A cut noticed inside
    // the model call keeps the whole reservation instead (BudgetedChatModelTest).
    llm.enqueue(llm.slowStream(List.of("According ", "to ", "the ", "sources, ", "a ", "job ", "gets ", "5 ", "attempts ", "[1]"), 300, 1000, 50));
    try (Socket socket = new Socket("127.0.0.1", s.port())) {
      String body = "{\"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \"How many attempts does a job get?\"}]}";
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
          + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder seen = new StringBuilder();
      while (!seen.toString().contains("data: ")) {
        int c = in.read();
        if (c < 0) break;
        seen.append((char) c);
      }
      assertThat(seen.toString()).startsWith("HTTP/1.1 200").contains("data: ");
    }
    double reported = (1000 * 0.40 + 50 * 1.60) / 1e6;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (spent(BudgetPeriod.DAY) - afterFallback < reported - 1e-9 && System.nanoTime() < deadline) Thread.sleep(100);
    assertThat(spent(BudgetPeriod.DAY) - afterFallback).as("the dropped stream is charged, settled to its reported usage").isEqualTo(reported, within(1e-9));
  }
}
