package dev.groundwork.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.http.Http1Client;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A web search API. The endpoint is the operator's (configured, trusted); the result URLs are not,
 * and are fetched through {@link PageFetcher}. Implementations are thread-safe.
 */
public interface WebSearch {
  /** One result: its URL, title and the engine's snippet. */
  record Result(URI url, String title, String snippet) {}

  String name();

  /** @throws IOException when the API cannot be reached or answers with an error or no JSON */
  List<Result> search(String query, int n) throws IOException;

  ObjectMapper JSON = new ObjectMapper();

  /** A SearXNG instance's JSON API: {@code GET {base}/search?q=...&format=json}, results in {@code results[]} ({@code url, title, content}). */
  static WebSearch searxng(Http1Client http, URI base, String userAgent) {
    return named("searxng", (query, n) -> {
      JsonNode j = get(http, URI.create(strip(base) + "/search?format=json&q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)),
          Map.of("User-Agent", List.of(userAgent), "Accept", List.of("application/json")), "searxng");
      return results(j.path("results"), "content", n);
    });
  }

  /**
   * The Brave Search API: {@code GET {base}/res/v1/web/search?q=...&count=n} with the key in
   * {@code X-Subscription-Token}; results in {@code web.results[]} ({@code url, title, description}).
   */
  static WebSearch brave(Http1Client http, URI base, String apiKey, String userAgent) {
    if (apiKey == null || apiKey.isBlank()) throw new IllegalArgumentException("brave: no API key; set BRAVE_API_KEY (or web.api_key in groundwork.yaml)");
    return named("brave", (query, n) -> {
      JsonNode j = get(http, URI.create(strip(base) + "/res/v1/web/search?count=" + Math.min(20, n) + "&q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)),
          Map.of("User-Agent", List.of(userAgent), "Accept", List.of("application/json"), "X-Subscription-Token", List.of(apiKey)), "brave");
      return results(j.path("web").path("results"), "description", n);
    });
  }

  /** A search call, as the APIs differ only in it. */
  interface Call {
    List<Result> search(String query, int n) throws IOException;
  }

  private static WebSearch named(String name, Call call) {
    return new WebSearch() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<Result> search(String query, int n) throws IOException {
        return call.search(query, n);
      }
    };
  }

  private static String strip(URI base) {
    String s = base.toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static JsonNode get(Http1Client http, URI uri, Map<String, List<String>> headers, String who) throws IOException {
    try (Http1Client.Response r = http.send("GET", uri, headers, null)) {
      String body = new String(r.body().readNBytes(8 << 20), StandardCharsets.UTF_8);
      if (r.status() != 200) throw new IOException(who + " answered HTTP " + r.status());
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IOException(who + " answered with something other than JSON");
      }
    }
  }

  private static List<Result> results(JsonNode items, String snippetField, int n) {
    List<Result> out = new ArrayList<>();
    for (JsonNode r : items) {
      if (out.size() >= n) break;
      try {
        URI u = new URI(r.path("url").asText(""));
        if (u.getScheme() == null || u.getHost() == null) continue;
        out.add(new Result(u, r.path("title").asText(""), org.jsoup.Jsoup.parse(r.path(snippetField).asText("")).text()));
      } catch (java.net.URISyntaxException e) {
        // an unusable result: skipped
      }
    }
    return out;
  }
}
