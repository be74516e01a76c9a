package dev.groundwork.http;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which proxy a request goes through, from the environment as curl and most tools read it:
 * {@code HTTPS_PROXY} for https URLs, {@code HTTP_PROXY} for http URLs (lower-case names too; the
 * lower-case one wins), and {@code NO_PROXY}: a comma-separated list of hosts that go direct. A
 * {@code NO_PROXY} entry is {@code *} (everything), a domain ({@code example.com} or
 * {@code .example.com}: the domain and every name under it), an IP address, or an IP range in CIDR
 * notation ({@code 10.0.0.0/8}), each optionally with {@code :port}. Names are compared as parsed,
 * lower-cased labels and addresses as bytes, never as substrings. Loopback targets never use a
 * proxy. Immutable.
 */
public final class Proxies {
  /** A proxy: where it is and, when its URL had user info, the Proxy-Authorization value to send. */
  public record Proxy(String host, int port, String authorization) {}

  private record Exclusion(String domain, byte[] network, int prefixBits, int port) {}

  public static final Proxies NONE = new Proxies(null, null, List.of(), false);

  private final Proxy https;
  private final Proxy http;
  private final List<Exclusion> noProxy;
  private final boolean noneAtAll;

  private Proxies(Proxy https, Proxy http, List<Exclusion> noProxy, boolean noneAtAll) {
    this.https = https;
    this.http = http;
    this.noProxy = List.copyOf(noProxy);
    this.noneAtAll = noneAtAll;
  }

  /**
   * Reads the proxy variables from {@code env}.
   *
   * @throws IllegalArgumentException naming the variable when a proxy URL cannot be used
   */
  public static Proxies fromEnvironment(Map<String, String> env) {
    Proxy https = proxy(env, "https_proxy");
    Proxy http = proxy(env, "http_proxy");
    String no = first(env, "no_proxy");
    List<Exclusion> ex = new ArrayList<>();
    boolean all = false;
    if (no != null) {
      for (String raw : no.split(",")) {
        String e = raw.strip().toLowerCase(Locale.ROOT);
        if (e.isEmpty()) continue;
        if (e.equals("*")) {
          all = true;
          continue;
        }
        ex.add(exclusion(e));
      }
    }
    return new Proxies(https, http, ex, all);
  }

  private static String first(Map<String, String> env, String lower) {
    String v = env.get(lower);
    if (v == null || v.isBlank()) v = env.get(lower.toUpperCase(Locale.ROOT));
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static Proxy proxy(Map<String, String> env, String name) {
    String v = first(env, name);
    if (v == null) return null;
    String variable = env.containsKey(name) ? name : name.toUpperCase(Locale.ROOT);
    URI u;
    try {
      u = new URI(v.contains("://") ? v : "http://" + v);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(variable + ": not a URL: " + v);
    }
    if (!"http".equalsIgnoreCase(u.getScheme())) {
      throw new IllegalArgumentException(variable + ": only http:// proxies are supported (https targets are tunnelled with CONNECT), got " + v);
    }
    if (u.getHost() == null) throw new IllegalArgumentException(variable + ": no host in " + v);
    String auth = u.getRawUserInfo() == null ? null
        : "Basic " + Base64.getEncoder().encodeToString(java.net.URLDecoder.decode(u.getRawUserInfo(), StandardCharsets.UTF_8)
            .getBytes(StandardCharsets.UTF_8));
    return new Proxy(u.getHost(), u.getPort() > 0 ? u.getPort() : 80, auth);
  }

  private static Exclusion exclusion(String e) {
    int port = -1;
    String hostPart = e;
    // host:port, but not the colons of an IPv6 address (written [::1]:443, or bare ::1)
    int colon = e.lastIndexOf(':');
    if (colon > 0 && (e.startsWith("[") ? e.lastIndexOf(']') < colon : e.indexOf(':') == colon)) {
      try {
        port = Integer.parseInt(e.substring(colon + 1));
        hostPart = e.substring(0, colon);
      } catch (NumberFormatException ignored) {
        // not a port: keep the whole entry
      }
    }
    hostPart = hostPart.replace("[", "").replace("]", "");
    int slash = hostPart.indexOf('/');
    String addr = slash >= 0 ? hostPart.substring(0, slash) : hostPart;
    byte[] ip = literal(addr);
    if (ip != null) {
      int bits = ip.length * 8;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(hostPart.substring(slash + 1));
        } catch (NumberFormatException ex) {
          throw new IllegalArgumentException("NO_PROXY: bad range " + e);
        }
        if (bits < 0 || bits > ip.length * 8) throw new IllegalArgumentException("NO_PROXY: bad range " + e);
      }
      return new Exclusion(null, ip, bits, port);
    }
    String domain = hostPart.startsWith("*.") ? hostPart.substring(2) : hostPart.startsWith(".") ? hostPart.substring(1) : hostPart;
    return new Exclusion(domain, null, 0, port);
  }

  /** The bytes of an IP literal, without any DNS lookup; null when {@code s} is not one. */
  static byte[] literal(String s) {
    if (s.isEmpty()) return null;
    boolean v4 = s.chars().allMatch(ch -> ch == '.' || Character.isDigit(ch)) && s.chars().filter(ch -> ch == '.').count() == 3;
    boolean v6 = s.indexOf(':') >= 0 && s.chars().allMatch(ch -> ch == ':' || ch == '.' || Character.digit(ch, 16) >= 0);
    if (!v4 && !v6) return null;
    try {
      return InetAddress.getByName(s).getAddress(); // a literal: parsed, not looked up
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** The proxy for a request to {@code host:port} over {@code scheme}, or empty to go direct. */
  public Optional<Proxy> forTarget(String scheme, String host, int port) {
    Proxy p = "https".equals(scheme) ? https : http;
    if (p == null || noneAtAll) return Optional.empty();
    String h = host.toLowerCase(Locale.ROOT).replace("[", "").replace("]", "");
    if (h.equals("localhost")) return Optional.empty();
    byte[] ip = literal(h);
    if (ip != null) {
      try {
        if (InetAddress.getByAddress(ip).isLoopbackAddress()) return Optional.empty();
      } catch (UnknownHostException e) {
        // cannot happen for 4 or 16 bytes
      }
    }
    for (Exclusion e : noProxy) {
      if (e.port() >= 0 && e.port() != port) continue;
      if (e.network() != null ? ip != null && inRange(ip, e.network(), e.prefixBits()) : matchesDomain(h, e.domain())) return Optional.empty();
    }
    return Optional.of(p);
  }

  private static boolean matchesDomain(String host, String domain) {
    if (literal(host) != null) return false;
    String[] h = host.split("\\.");
    String[] d = domain.split("\\.");
    if (d.length > h.length) return false;
    for (int i = 1; i <= d.length; i++) if (!h[h.length - i].equals(d[d.length - i])) return false;
    return true;
  }

  private static boolean inRange(byte[] ip, byte[] net, int bits) {
    if (ip.length != net.length) return false;
    for (int i = 0; i < bits; i++) {
      int mask = 0x80 >>> (i % 8);
      if ((ip[i / 8] & mask) != (net[i / 8] & mask)) return false;
    }
    return true;
  }
}
