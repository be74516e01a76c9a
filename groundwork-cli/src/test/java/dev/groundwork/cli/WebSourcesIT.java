package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live web sources end to end: a local SearXNG-speaking search server and a local page over real
 * sockets. A fact only the page has is answered and cited with the page's URL; a search outage
 * degrades to the local documents with a note; loopback is refused unless the project allows it.
 */
class WebSourcesIT {
  @TempDir static Path project;
  static HttpServer web;
  static String base;

  @BeforeAll
  static void setUp() throws Exception {
    web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    base = "http://127.0.0.1:" + web.getAddress().getPort();
    Map<String, String[]> routes = Map.of(
        "/search", new String[] {"application/json", """
            {"query": "q", "results": [{"url": "%s/status/zephyr", "title": "Zephyr status", "content": "Zephyr retired", "engine": "x"}]}"""
            .formatted(base)},
        "/status/zephyr", new String[] {"text/html; charset=utf-8", "<html><head><title>Zephyr status</title></head><body>"
            + "<p>The Zephyr cluster was retired on 14 March 2026, after nine years in service.</p></body></html>"});
    web.createContext("/", ex -> {
      String[] r = routes.get(ex.getRequestURI().getPath());
      byte[] b = (r == null ? "not found" : r[1]).getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", r == null ? "text/plain" : r[0]);
      ex.sendResponseHeaders(r == null ? 404 : 200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    web.start();
    Files.createDirectories(project.resolve("docs"));
    Files.writeString(project.resolve("docs/retries.md"), "# Retries\n\nA job gets 5 attempts in total before the dead-letter queue.\n");
    assertThat(Cli.run("ingest", "-C", project.toString(), "docs").code()).isZero();
  }

  @AfterAll
  static void tearDown() {
    web.stop(0);
  }

  static void config(String web) throws Exception {
    Files.writeString(project.resolve("groundwork.yaml"), "web:\n" + web);
  }

  @Test
  void aFactOnlyTheWebPageHasIsAnsweredAndCitedWithItsUrl() throws Exception {
    config("  search: searxng\n  search_url: \"" + base + "\"\n  allow: [127.0.0.1/32]\n");
    Cli ask = Cli.run("ask", "-C", project.toString(), "--json", "When was the Zephyr cluster retired?");
    assertThat(ask.code()).as(ask.err()).isZero();
    JsonNode j = ask.json();
    assertThat(j.path("refused").asBoolean()).isFalse();
    assertThat(j.path("answer").asText()).contains("14 March 2026");
    JsonNode cite = j.path("citations").get(0);
    assertThat(cite.path("source").asText()).isEqualTo(base + "/status/zephyr");
    assertThat(cite.path("heading").asText()).startsWith("fetched 20");
    assertThat(j.has("notes")).isFalse();
    // local documents still answer what they know
    JsonNode local = Cli.run("ask", "-C", project.toString(), "--json", "How many attempts does a job get?").json();
    assertThat(local.path("answer").asText()).contains("5 attempts");
    assertThat(local.path("citations").get(0).path("source").asText()).isEqualTo("docs/retries.md");
  }

  @Test
  void aSearchOutageAndARefusedAddressDegradeToTheLocalDocumentsWithANote() throws Exception {
    int closed;
    try (var s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    // the search server is down, and the configured page is on loopback, which this project does not allow
    config("  search: searxng\n  search_url: \"http://127.0.0.1:" + closed + "\"\n  urls: [\"" + base + "/status/zephyr\"]\n");
    Cli ask = Cli.run("ask", "-C", project.toString(), "--json", "How many attempts does a job get?");
    assertThat(ask.code()).as(ask.err()).isZero();
    JsonNode j = ask.json();
    assertThat(j.path("answer").asText()).contains("5 attempts");
    assertThat(j.path("notes").toString()).contains("web search (searxng) failed").contains("resolves to 127.0.0.1, a loopback address");
    // a bad range is a configuration error naming the key
    config("  urls: [\"" + base + "/x\"]\n  allow: [localhost]\n");
    Cli bad = Cli.run("ask", "-C", project.toString(), "anything");
    assertThat(bad.code()).isEqualTo(Main.USAGE);
    assertThat(bad.err()).contains("groundwork.yaml").contains("web.allow").contains("not an IP range");
  }
}
