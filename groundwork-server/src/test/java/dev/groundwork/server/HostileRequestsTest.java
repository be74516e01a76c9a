package dev.groundwork.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.testkit.RawHttp;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests a well-behaved client does not send, over a real socket: each gets a 4xx in OpenAI's error
 * shape that names what was wrong, never a 500, Jetty's HTML or plain text.
 */
class HostileRequestsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static GroundworkServer keyed;

  @BeforeAll
  static void start() {
    keyed = GroundworkServer.builder().answering(new AccessControlTest.SearchOnly()).queryLog(new AccessControlTest.ListLog())
        .keys(new AccessControlTest.OneKey()).port(0).maxBodyBytes(4096).allowedOrigins(List.of("https://console.example.com")).build().start();
  }

  @AfterAll
  static void stop() {
    keyed.stop();
  }

  static final String KEY = "Authorization: Bearer gw_secret";

  static JsonNode openAiError(RawHttp.Response r, int status) throws Exception {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.header("content-type")).as("content type of a %d", status).startsWith("application/json");
    JsonNode e = JSON.readTree(r.body()).path("error");
    assertThat(e.path("message").asText()).isNotBlank();
    assertThat(e.has("type") && e.has("param") && e.has("code")).as(r.body()).isTrue();
    return e;
  }

  @Test
  void everyErrorStatusUsesOpenAisShape() throws Exception {
    openAiError(RawHttp.send(keyed.port(), "GET", "/v1/foo", null, KEY), 404);
    JsonNode wrongMethod = openAiError(RawHttp.send(keyed.port(), "GET", "/v1/chat/completions", null, KEY), 405);
    assertThat(wrongMethod.path("message").asText()).contains("GET").contains("/v1/chat/completions");
    String big = "{\"messages\": [{\"role\": \"user\", \"content\": \"" + "x".repeat(10_000) + "\"}]}";
    openAiError(RawHttp.send(keyed.port(), "POST", "/v1/chat/completions", big, KEY, "Content-Type: application/json"), 413);
    openAiError(RawHttp.send(keyed.port(), "GET", "/v1/models?q=" + "a".repeat(20_000), null, KEY), 414);
    openAiError(RawHttp.send(keyed.port(), "GET", "/v1/models", null, KEY, "X-Big: " + "b".repeat(20_000)), 431);
    openAiError(RawHttp.send(keyed.port(), "POST", "/v1/chat/completions", "{not json", KEY, "Content-Type: application/json"), 400);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "\"stream\": \"yes\"|stream",
      "\"temperature\": \"hot\"|temperature",
      "\"temperature\": 7|temperature",
      "\"max_tokens\": -5|max_tokens",
      "\"max_tokens\": 1e12|max_tokens",
      "\"max_tokens\": 1000000000000|max_tokens",
      "\"n\": 3|n",
      "\"top_p\": 1.5|top_p",
      "\"stop\": [1, 2]|stop",
      "\"stream_options\": {\"include_usage\": \"yes\"}|stream_options.include_usage",
      "\"groundwork\": {\"k\": \"abc\"}|groundwork.k",
      "\"groundwork\": {\"retrieve\": \"no\"}|groundwork.retrieve",
      "\"groundwork\": {\"kk\": 3}|groundwork.kk",
      "\"frobnicate\": true|frobnicate",
      "\"messages\": [{\"role\": \"wizard\", \"content\": \"hi\"}]|messages[0].role",
      "\"messages\": [{\"role\": \"user\", \"content\": 42}]|messages[0].content"})
  void eachParameterOutsideTheSchemaIsA400NamingIt(String field, String param) throws Exception {
    String body = field.startsWith("\"messages\"") ? "{" + field + "}"
        : "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], " + field + "}";
    JsonNode e = openAiError(RawHttp.send(keyed.port(), "POST", "/v1/chat/completions", body, KEY, "Content-Type: application/json"), 400);
    assertThat(e.path("param").asText()).isEqualTo(param);
  }

  @Test
  void kOutsideItsRangeIsA400EvenWhereALongWouldWrap() throws Exception {
    for (String k : List.of("4294967297", "0", "-1", "99999999999999999999")) {
      String body = "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"groundwork\": {\"k\": " + k + "}}";
      JsonNode e = openAiError(RawHttp.send(keyed.port(), "POST", "/v1/chat/completions", body, KEY, "Content-Type: application/json"), 400);
      assertThat(e.path("message").asText()).contains("groundwork.k");
    }
  }

  @Test
  void anUnexpectedErrorIsA500WithAnIdThatTheServerLogsWithItsStackTrace() throws Exception {
    java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
    AccessControlTest.SearchOnly failing = new AccessControlTest.SearchOnly() {
      @Override
      public dev.groundwork.app.SearchResult search(String query, int k) {
        throw new IllegalStateException("index corrupted at segment 7");
      }
    };
    try (GroundworkServer s = GroundworkServer.builder().answering(failing).queryLog(new AccessControlTest.ListLog()).keys(new AccessControlTest.OneKey())
        .port(0).errorLog(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8)).build().start()) {
      JsonNode e = openAiError(RawHttp.send(s.port(), "GET", "/api/search?q=x", null, KEY), 500);
      java.util.regex.Matcher id = java.util.regex.Pattern.compile("err_[0-9a-f]{16}").matcher(e.path("message").asText());
      assertThat(id.find()).as(e.toString()).isTrue();
      assertThat(e.path("message").asText()).doesNotContain("segment 7"); // no internals to the client
      String logged = log.toString(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(logged).contains(id.group(), "GET /api/search", "index corrupted at segment 7", "\tat ");
    }
  }

  @Test
  void aKeyedServerAnswersCorsForItsConfiguredOriginsOnly() throws Exception {
    RawHttp.Response pre = RawHttp.send(keyed.port(), "OPTIONS", "/v1/chat/completions", null, "Origin: https://console.example.com",
        "Access-Control-Request-Method: POST", "Access-Control-Request-Headers: authorization, content-type");
    assertThat(pre.status()).isEqualTo(204);
    assertThat(pre.header("access-control-allow-origin")).isEqualTo("https://console.example.com");
    assertThat(pre.header("access-control-allow-headers")).contains("Authorization");
    RawHttp.Response ok = RawHttp.send(keyed.port(), "GET", "/v1/models", null, KEY, "Origin: https://console.example.com");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.header("access-control-allow-origin")).isEqualTo("https://console.example.com");
    RawHttp.Response other = RawHttp.send(keyed.port(), "GET", "/v1/models", null, KEY, "Origin: https://evil.example");
    assertThat(other.header("access-control-allow-origin")).isNull();
    RawHttp.Response lookalike = RawHttp.send(keyed.port(), "GET", "/v1/models", null, KEY, "Origin: https://console.example.com.evil.example");
    assertThat(lookalike.header("access-control-allow-origin")).isNull();
  }

  @Test
  void aKeylessServerTakesOnlyLoopbackHostsSameOriginWritesAndJsonBodies() throws Exception {
    try (GroundworkServer open = GroundworkServer.builder().answering(new AccessControlTest.SearchOnly()).queryLog(new AccessControlTest.ListLog())
        .auth(false).port(0).build().start()) {
      int port = open.port();
      String json = "Content-Type: application/json";
      String body = "{\"input\": \"hello\"}";
      // DNS rebinding: the attacker's name resolves to 127.0.0.1, the browser sends its own Host
      for (String host : List.of("attacker.example:" + port, "127.0.0.1.nip.io:" + port, "localhost.attacker.example", "2130706433")) {
        openAiError(RawHttp.send(port, "GET", "/v1/models", null, "Host: " + host), 403);
      }
      openAiError(RawHttp.send(port, "GET", "/v1/models", null, "Host: "), 400); // Jetty's own check, in the same shape
      for (String host : List.of("localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "LOCALHOST", "127.0.0.2")) {
        assertThat(RawHttp.send(port, "GET", "/v1/models", null, "Host: " + host).status()).as(host).isEqualTo(200);
      }
      // CSRF: a page elsewhere posts to the loopback server
      for (String origin : List.of("https://evil.example", "null", "http://localhost:" + (port + 1), "http://127.0.0.1.evil.example:" + port)) {
        openAiError(RawHttp.send(port, "POST", "/v1/embeddings", body, json, "Origin: " + origin), 403);
      }
      openAiError(RawHttp.send(port, "POST", "/v1/embeddings", body, json, "Sec-Fetch-Site: cross-site"), 403);
      assertThat(RawHttp.send(port, "POST", "/v1/embeddings", body, json, "Origin: http://localhost:" + port).status()).isEqualTo(200);
      assertThat(RawHttp.send(port, "POST", "/v1/embeddings", body, json).status()).as("curl sends no Origin").isEqualTo(200);
      // a form can send text/plain cross-site without a preflight; JSON must come as JSON
      for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
        openAiError(RawHttp.send(port, "POST", "/v1/embeddings", body, "Content-Type: " + type), 415);
      }
      openAiError(RawHttp.send(port, "POST", "/v1/embeddings", body), 415);
      assertThat(RawHttp.send(port, "POST", "/v1/embeddings", body, "Content-Type: Application/JSON; charset=utf-8").status()).isEqualTo(200);
    }
  }
}
