package dev.groundwork.server;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules that keep a keyless loopback server out of reach of web pages (DNS rebinding, CSRF).
 * Headers are parsed (host and port apart, IP literals as addresses) and compared as values; a name
 * is never resolved, since resolving is exactly what a rebinding attacker controls.
 */
final class OriginRules {
  private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private OriginRules() {}

  /**
   * Why a request to a keyless server is refused, as "403 message" or "415 message", or null when it
   * may go on.
   *
   * @param boundHost the {@code --host} the server listens on, lower case (checked to be loopback at start)
   */
  static String refuseKeyless(String host, String origin, String fetchSite, String method, String path, String contentType, String boundHost,
      int port) {
    String h = hostOf(host);
    if (h == null || !loopbackName(h, boundHost)) {
      return "403 Host '" + host + "' is not a loopback name of this server; without keys it answers requests to localhost, 127.0.0.1 or [::1] only "
          + "(a guard against DNS rebinding; serve with keys to take other names)";
    }
    if (!STATE_CHANGING.contains(method)) return null;
    if (origin != null) {
      if (!sameServer(origin, boundHost, port)) {
        return "403 cross-origin " + method + " from Origin '" + origin + "' refused: without keys only pages served by this server may change it";
      }
    } else if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
      return "403 cross-site " + method + " refused (Sec-Fetch-Site: " + fetchSite + ")";
    }
    if (method.equals("DELETE")) return null;
    String type = mediaType(contentType);
    boolean upload = path.equals("/api/ingest") && type.equals("multipart/form-data");
    if (!type.equals("application/json") && !upload) {
      return "415 send the body as Content-Type: application/json" + (path.equals("/api/ingest") ? " (or multipart/form-data)" : "")
          + ", not '" + (contentType == null ? "" : contentType) + "'";
    }
    return null;
  }

  /** The media type of a Content-Type header, lower case, without parameters; "" when absent. */
  static String mediaType(String contentType) {
    if (contentType == null) return "";
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
  }

  /** The host of a Host header value (port removed, IPv6 brackets kept off), lower case; null when malformed. */
  static String hostOf(String hostHeader) {
    if (hostHeader == null || hostHeader.isBlank()) return null;
    try {
      URI u = new URI("http://" + hostHeader.strip() + "/");
      if (u.getHost() == null || u.getRawUserInfo() != null || !"/".equals(u.getRawPath())) return null;
      String h = u.getHost().toLowerCase(Locale.ROOT);
      return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /** localhost, the bound host's own name, or an IP literal that is a loopback address. */
  static boolean loopbackName(String host, String boundHost) {
    if (host.equals("localhost") || host.equals(boundHost)) return true;
    if (!IPV4.matcher(host).matches() && !host.contains(":")) return false; // a name: never resolved here
    try {
      return InetAddress.getByName(host).isLoopbackAddress(); // a literal: parsed, no lookup
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Whether {@code origin} is this server: http(s), a loopback name, the server's port. */
  static boolean sameServer(String origin, String boundHost, int port) {
    try {
      URI u = new URI(origin.strip());
      if (u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) return false;
      int p = u.getPort() >= 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
      String h = u.getHost().toLowerCase(Locale.ROOT);
      if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
      return p == port && loopbackName(h, boundHost);
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** An Origin header as configured origins are written: scheme://host[:port], lower case; the input when it does not parse. */
  static String normalize(String origin) {
    try {
      URI u = new URI(origin.strip());
      if (u.getScheme() == null || u.getHost() == null) return origin;
      return u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getHost().toLowerCase(Locale.ROOT) + (u.getPort() < 0 ? "" : ":" + u.getPort());
    } catch (URISyntaxException e) {
      return origin;
    }
  }
}
