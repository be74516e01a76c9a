package dev.groundwork.web;

import dev.groundwork.http.HostResolver;
import dev.groundwork.http.Http1Client;
import dev.groundwork.http.Proxies;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * Fetches a web page and extracts its text. Only {@code http} and {@code https}; every host (the
 * first and each redirect's, up to five) goes through the {@link AddressGuard}, and the client
 * connects to the addresses the guard returned, with no second lookup and no proxy. robots.txt is
 * read once per origin (cached with the page TTL) and honoured. Bodies stop at {@code maxBytes};
 * only HTML and plain text are read. Text comes out as text: scripts, styles and markup are dropped,
 * and nothing in it is ever treated as an instruction. Thread-safe.
 */
public final class PageFetcher implements AutoCloseable {
  /** A page as fetched: the URL it came from (after redirects), its title and text, and when. */
  public record Page(URI url, String title, String text, Instant fetchedAt, boolean truncated) {}

  /** A page that could not be used; the message says why. */
  public static final class FetchException extends IOException {
    public FetchException(String message) {
      super(message);
    }

    public FetchException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static final int MAX_REDIRECTS = 5;
  private final Http1Client http;
  private final String userAgent;
  private final long maxBytes;
  private final boolean robots;
  private final Duration robotsTtl;
  private final Clock clock;
  private final Map<String, Cached> robotsCache = new ConcurrentHashMap<>();

  private record Cached(Robots robots, Instant until) {}

  /**
   * @param resolver where names resolve: an {@link AddressGuard}
   * @param timeout connect and read timeout
   * @param robots honour robots.txt
   */
  public PageFetcher(HostResolver resolver, Duration timeout, long maxBytes, String userAgent, boolean robots, Duration robotsTtl, Clock clock) {
    this.http = new Http1Client(timeout, timeout, null, 4, 8, Proxies.NONE, resolver);
    this.userAgent = Objects.requireNonNull(userAgent);
    if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be >= 1");
    this.maxBytes = maxBytes;
    this.robots = robots;
    this.robotsTtl = robotsTtl;
    this.clock = clock;
  }

  /** @throws FetchException naming the URL and why it was not used (refused address, robots.txt, status, type, timeout) */
  public Page fetch(URI url) throws FetchException {
    URI at = check(url);
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (robots && !robotsFor(at).allows(pathOf(at))) throw new FetchException(at + ": robots.txt disallows it");
      try (Http1Client.Response r = get(at)) {
        int status = r.status();
        if (status >= 300 && status < 400 && r.header("location") != null) {
          at = check(resolve(at, r.header("location")));
          continue;
        }
        if (status != 200) throw new FetchException(at + ": HTTP " + status);
        String type = r.header("content-type") == null ? "" : r.header("content-type").toLowerCase(Locale.ROOT);
        boolean html = type.startsWith("text/html") || type.startsWith("application/xhtml");
        if (!html && !type.startsWith("text/plain")) throw new FetchException(at + ": not a web page (" + (type.isEmpty() ? "no content type" : type) + ")");
        byte[] body = readCapped(r.body());
        boolean truncated = body.length > maxBytes;
        String text = new String(body, 0, (int) Math.min(body.length, maxBytes), charset(type));
        if (!html) return new Page(at, at.getHost(), text.strip(), clock.instant(), truncated);
        Document d = Jsoup.parse(text, at.toString());
        d.select("script, style, noscript, template, nav, header, footer, svg, iframe, form").remove();
        String title = d.title().isBlank() ? at.getHost() : d.title().strip();
        d.select("p, h1, h2, h3, h4, h5, h6, li, br, tr, div").forEach(e -> e.appendText("\n"));
        String body2 = d.body() == null ? "" : d.body().wholeText();
        return new Page(at, title, body2.replaceAll("[ \t\u00a0]+", " ").replaceAll("\\s*\n\\s*", "\n").strip(), clock.instant(), truncated);
      } catch (FetchException e) {
        throw e;
      } catch (AddressGuard.Refused e) {
        throw new FetchException(at + ": " + e.getMessage(), e);
      } catch (IOException e) {
        throw new FetchException(at + ": " + (e instanceof java.net.SocketTimeoutException ? "timed out" : e.getClass().getSimpleName() + ": " + e.getMessage()), e);
      }
    }
    throw new FetchException(url + ": more than " + MAX_REDIRECTS + " redirects");
  }

  private Http1Client.Response get(URI at) throws IOException {
    return http.send("GET", at, Map.of("User-Agent", List.of(userAgent), "Accept", List.of("text/html, text/plain;q=0.8")), null);
  }

  private Robots robotsFor(URI at) {
    String origin = at.getScheme() + "://" + at.getRawAuthority();
    Cached c = robotsCache.get(origin);
    Instant now = clock.instant();
    if (c != null && now.isBefore(c.until())) return c.robots();
    Robots rules;
    try (Http1Client.Response r = get(URI.create(origin + "/robots.txt"))) {
      // a missing file (4xx) allows everything; a server error or a redirect is read as allowing too, as
      // crawlers commonly do for single pages asked for by a person
      rules = r.status() == 200 ? Robots.parse(new String(readCapped(r.body()), StandardCharsets.UTF_8), userAgent) : Robots.ALLOW_ALL;
    } catch (IOException e) {
      rules = Robots.ALLOW_ALL;
    }
    robotsCache.put(origin, new Cached(rules, now.plus(robotsTtl)));
    return rules;
  }

  /** Up to {@code maxBytes + 1} bytes, so the caller can tell that there was more. */
  private byte[] readCapped(InputStream in) throws IOException {
    return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
  }

  private static Charset charset(String type) {
    int i = type.indexOf("charset=");
    if (i < 0) return StandardCharsets.UTF_8;
    try {
      return Charset.forName(type.substring(i + 8).replace("\"", "").split("[;\\s]")[0]);
    } catch (RuntimeException e) {
      return StandardCharsets.UTF_8;
    }
  }

  private static String pathOf(URI u) {
    String p = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    return u.getRawQuery() == null ? p : p + "?" + u.getRawQuery();
  }

  private static URI resolve(URI base, String location) throws FetchException {
    try {
      return base.resolve(new URI(location.strip()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new FetchException(base + ": a redirect to an invalid location '" + location + "'");
    }
  }

  /** Only absolute http(s) URLs with a host and no user info. */
  static URI check(URI u) throws FetchException {
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) throw new FetchException(u + ": only http and https URLs are fetched");
    if (u.getHost() == null) throw new FetchException(u + ": no host");
    if (u.getRawUserInfo() != null) throw new FetchException(u + ": URLs with user info are not fetched");
    return u;
  }

  @Override
  public void close() {
    http.close();
  }
}
