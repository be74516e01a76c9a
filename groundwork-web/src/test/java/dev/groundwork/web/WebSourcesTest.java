package dev.groundwork.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.spi.LiveSource;
import dev.groundwork.http.Http1Client;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Search APIs spoken as documented, by local servers over real sockets, and the pages they point at. */
class WebSourcesTest {
  LocalWeb web;
  PageFetcher fetcher;
  Http1Client http;

  @BeforeEach
  void start() throws Exception {
    web = new LocalWeb();
    var dns = AddressGuardTest.table(Map.of("site.test", List.of("127.0.0.1")));
    fetcher = new PageFetcher(new AddressGuard(dns, List.of(AddressGuard.Range.parse("127.0.0.1/32"))), Duration.ofSeconds(2), 100_000, "gw", true,
        Duration.ofMinutes(5), Clock.systemUTC());
    http = new Http1Client(Duration.ofSeconds(2), Duration.ofSeconds(2));
    web.routes.put("/zephyr", LocalWeb.Response.page("<title>Zephyr status</title><p>The Zephyr cluster was retired on 14 March 2026.</p>"
        + "<p>Unrelated: the cafeteria opens at nine.</p>"));
  }

  @AfterEach
  void stop() {
    http.close();
    fetcher.close();
    web.close();
  }

  String site() {
    return "http://site.test:" + web.port();
  }

  @Test
  void searxngResultsAreFetchedChunkedRankedAndCitedWithUrlAndFetchTime() throws Exception {
    web.routes.put("/search", new LocalWeb.Response(200, "application/json", """
        {"query": "zephyr", "number_of_results": 2, "results": [
          {"url": "%s/zephyr", "title": "Zephyr status", "content": "The Zephyr cluster was <b>retired</b>", "engine": "duckduckgo", "score": 1.0},
          {"url": "%s/gone", "title": "Gone", "content": "Nimbus replaced Zephyr in March", "engine": "bing", "score": 0.5}
        ], "answers": [], "suggestions": []}""".formatted(site(), site()), Map.of(), 0));
    WebSources w = new WebSources(WebSearch.searxng(http, URI.create("http://127.0.0.1:" + web.port()), "gw"), List.of(), fetcher, 5, true,
        Duration.ofMinutes(10), Clock.systemUTC());
    LiveSource.Found f = w.search("When was the Zephyr cluster retired?", 5);
    assertThat(web.asked).anyMatch(p -> p.startsWith("/search?format=json&q=When+was+the+Zephyr"));
    assertThat(f.hits()).isNotEmpty();
    var top = f.hits().get(0);
    assertThat(top.chunk().source()).isEqualTo(site() + "/zephyr");
    assertThat(top.chunk().text()).contains("retired on 14 March 2026");
    assertThat(top.chunk().heading()).startsWith("fetched 20");
    assertThat(top.score()).isEqualTo(1.0);
    // the second result's page is missing: its snippet stands in, and the note says why
    assertThat(f.hits()).anyMatch(h -> h.chunk().source().equals(site() + "/gone") && h.chunk().text().equals("Nimbus replaced Zephyr in March"));
    assertThat(f.notes()).singleElement().asString().contains("/gone").contains("HTTP 404");
    // within the TTL the search and the page it fetched are not asked for again (a failed page is retried)
    w.search("When was the Zephyr cluster retired?", 5);
    assertThat(web.asked.stream().filter(p -> p.startsWith("/search") || p.equals("/zephyr"))).hasSize(2);
  }

  @Test
  void anOutageLeavesANoteAndTheConfiguredPagesStillAnswer() throws Exception {
    int closed;
    try (var s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    WebSources w = new WebSources(WebSearch.searxng(http, URI.create("http://127.0.0.1:" + closed), "gw"), List.of(URI.create(site() + "/zephyr")),
        fetcher, 5, true, Duration.ofMinutes(10), Clock.systemUTC());
    LiveSource.Found f = w.search("When was the Zephyr cluster retired?", 3);
    assertThat(f.notes()).singleElement().asString().startsWith("web search (searxng) failed:");
    assertThat(f.hits()).extracting(h -> h.chunk().source()).containsOnly(site() + "/zephyr");
    // a search API answering 500 is an outage too
    web.routes.put("/search", new LocalWeb.Response(500, "text/plain", "boom", Map.of(), 0));
    LiveSource.Found g = new WebSources(WebSearch.searxng(http, URI.create("http://127.0.0.1:" + web.port()), "gw"), List.of(), fetcher, 5, true,
        Duration.ofMinutes(10), Clock.systemUTC()).search("zephyr", 3);
    assertThat(g.hits()).isEmpty();
    assertThat(g.notes()).singleElement().asString().contains("HTTP 500");
  }

  @Test
  void braveIsAskedWithItsKeyAndReadFromWebResults() throws Exception {
    web.routes.put("/res/v1/web/search", new LocalWeb.Response(200, "application/json", """
        {"type": "search", "query": {"original": "zephyr"}, "web": {"type": "search", "results": [
          {"title": "Zephyr status", "url": "%s/zephyr", "description": "The <strong>Zephyr</strong> cluster was retired", "age": "2 days ago"}]}}"""
        .formatted(site()), Map.of(), 0));
    WebSearch brave = WebSearch.brave(http, URI.create("http://127.0.0.1:" + web.port()), "brave-key", "gw");
    List<WebSearch.Result> r = brave.search("zephyr retired", 3);
    assertThat(r).singleElement().satisfies(x -> {
      assertThat(x.url().toString()).isEqualTo(site() + "/zephyr");
      assertThat(x.snippet()).isEqualTo("The Zephyr cluster was retired");
    });
    var h = web.headers.get(web.headers.size() - 1);
    assertThat(h.get("X-subscription-token")).containsExactly("brave-key");
    assertThat(web.asked.get(web.asked.size() - 1)).startsWith("/res/v1/web/search?count=3&q=zephyr+retired");
  }
}
