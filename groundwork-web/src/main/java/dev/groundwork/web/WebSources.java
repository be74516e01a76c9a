package dev.groundwork.web;

import dev.groundwork.core.Chunk;
import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.spi.LiveSource;
import dev.groundwork.core.text.Terms;
import dev.groundwork.core.trace.Timeline;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Web search results and configured pages as chunks for a question. The search API's results are
 * fetched (or, when a page cannot be used, kept as the engine's snippet) together with the {@code
 * urls} pages, all at once on virtual threads; their text is cut into passages of about {@value
 * #PASSAGE_WORDS} words, ranked against the question with BM25 over these passages, and scored 0..1.
 * Search results and pages are cached for {@code ttl}. Anything that fails (the API, a page, a
 * timeout) leaves a note and fewer hits, never an error. Thread-safe.
 */
public final class WebSources implements LiveSource {
  static final int PASSAGE_WORDS = 120;
  static final int MAX_PASSAGES_PER_PAGE = 40;

  private final WebSearch search;
  private final List<URI> urls;
  private final PageFetcher fetcher;
  private final int results;
  private final boolean fetchResults;
  private final Duration ttl;
  private final Clock clock;
  private final Map<String, Timed<List<WebSearch.Result>>> searches = new ConcurrentHashMap<>();
  private final Map<URI, Timed<PageFetcher.Page>> pages = new ConcurrentHashMap<>();

  private record Timed<T>(T value, Instant until) {}

  /**
   * @param search the search API, or null for pages only
   * @param urls pages consulted for every question
   * @param results how many search results to use
   * @param fetchResults fetch each result's page (else use the engine's snippets only)
   */
  public WebSources(WebSearch search, List<URI> urls, PageFetcher fetcher, int results, boolean fetchResults, Duration ttl, Clock clock) {
    this.search = search;
    this.urls = List.copyOf(urls);
    this.fetcher = Objects.requireNonNull(fetcher);
    this.results = results;
    this.fetchResults = fetchResults;
    this.ttl = ttl;
    this.clock = clock;
  }

  @Override
  public Found search(String query, int k) {
    long t0 = System.nanoTime();
    List<String> notes = java.util.Collections.synchronizedList(new ArrayList<>());
    List<WebSearch.Result> found = List.of();
    if (search != null) {
      try {
        found = cached(searches, query, () -> search.search(query, results));
      } catch (IOException e) {
        notes.add("web search (" + search.name() + ") failed: " + e.getMessage());
      }
    }
    Map<URI, WebSearch.Result> wanted = new LinkedHashMap<>();
    for (URI u : urls) wanted.put(u, null);
    for (WebSearch.Result r : found) wanted.putIfAbsent(r.url(), r);
    List<PageFetcher.Page> got = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<PageFetcher.Page>> futures = new ArrayList<>();
      for (var e : wanted.entrySet()) {
        URI u = e.getKey();
        WebSearch.Result r = e.getValue();
        futures.add(pool.submit(() -> {
          if (r != null && !fetchResults) return snippetPage(r);
          try {
            return cached(pages, u, () -> fetcher.fetch(u));
          } catch (IOException ex) {
            notes.add("page not used: " + ex.getMessage());
            return r == null ? null : snippetPage(r);
          }
        }));
      }
      for (Future<PageFetcher.Page> f : futures) {
        try {
          PageFetcher.Page p = f.get();
          if (p != null) got.add(p);
        } catch (java.util.concurrent.ExecutionException e) {
          notes.add("page not used: " + e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          notes.add("web sources interrupted");
          break;
        }
      }
    }
    List<ScoredChunk> hits = rank(query, passages(got), k);
    Timeline.record("web", t0, Map.of("groundwork.web.pages", got.size(), "groundwork.web.hits", hits.size(), "groundwork.web.notes",
        String.join("; ", notes)), null);
    return new Found(hits, notes);
  }

  private PageFetcher.Page snippetPage(WebSearch.Result r) {
    return new PageFetcher.Page(r.url(), r.title().isBlank() ? r.url().getHost() : r.title(), r.snippet(), clock.instant(), false);
  }

  private interface Load<T> {
    T get() throws IOException;
  }

  private <K, T> T cached(Map<K, Timed<T>> cache, K key, Load<T> load) throws IOException {
    Instant now = clock.instant();
    Timed<T> t = cache.get(key);
    if (t != null && now.isBefore(t.until())) return t.value();
    T v = load.get();
    cache.put(key, new Timed<>(v, now.plus(ttl)));
    return v;
  }

  /** Each page cut into passages of about {@value #PASSAGE_WORDS} words, paragraphs kept whole where they fit. */
  static List<Chunk> passages(List<PageFetcher.Page> pages) {
    List<Chunk> out = new ArrayList<>();
    for (PageFetcher.Page p : pages) {
      String url = p.url().toString();
      String id = "web:" + hash(url);
      List<String> heading = List.of("fetched " + p.fetchedAt());
      StringBuilder cur = new StringBuilder();
      int start = 0, pos = 0, n = 0, words = 0;
      for (String para : p.text().split("\n")) {
        int w = para.isBlank() ? 0 : para.strip().split("\\s+").length;
        if (words > 0 && words + w > PASSAGE_WORDS) {
          out.add(new Chunk(id + "#" + n++, url, url, p.title(), "text/html", heading, null, start, pos, cur.toString().strip(), null, 0));
          cur.setLength(0);
          words = 0;
          start = pos;
        }
        if (n >= MAX_PASSAGES_PER_PAGE) break;
        if (w > 0) {
          cur.append(para.strip()).append('\n');
          words += w;
        }
        pos += para.length() + 1;
      }
      if (words > 0 && n < MAX_PASSAGES_PER_PAGE) {
        out.add(new Chunk(id + "#" + n, url, url, p.title(), "text/html", heading, null, start, Math.min(pos, p.text().length()), cur.toString().strip(), null, 0));
      }
    }
    return out;
  }

  /** BM25 (k1 1.2, b 0.75) of the question's terms over the passages; passages matching none are dropped; scores over the best. */
  static List<ScoredChunk> rank(String query, List<Chunk> passages, int k) {
    List<String> q = Terms.of(query);
    if (q.isEmpty() || passages.isEmpty()) return List.of();
    List<Map<String, Integer>> tf = new ArrayList<>();
    Map<String, Integer> df = new HashMap<>();
    double total = 0;
    for (Chunk c : passages) {
      Map<String, Integer> m = new HashMap<>();
      for (String t : Terms.of(c.contextualText())) m.merge(t, 1, Integer::sum);
      tf.add(m);
      for (String t : m.keySet()) df.merge(t, 1, Integer::sum);
      total += m.values().stream().mapToInt(Integer::intValue).sum();
    }
    double avg = total / passages.size();
    int n = passages.size();
    List<ScoredChunk> scored = new ArrayList<>();
    double best = 0;
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      double len = tf.get(i).values().stream().mapToInt(Integer::intValue).sum();
      for (String t : new java.util.LinkedHashSet<>(q)) {
        int f = tf.get(i).getOrDefault(t, 0);
        if (f == 0) continue;
        double idf = Math.log(1 + (n - df.get(t) + 0.5) / (df.get(t) + 0.5));
        s[i] += idf * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * len / avg));
      }
      best = Math.max(best, s[i]);
    }
    if (best <= 0) return List.of();
    for (int i = 0; i < n; i++) if (s[i] > 0) scored.add(new ScoredChunk(passages.get(i), s[i] / best));
    scored.sort(ScoredChunk.RANKING);
    return scored.subList(0, Math.min(k, scored.size()));
  }

  private static String hash(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8))).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
