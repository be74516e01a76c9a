package dev.groundwork.server;

import dev.groundwork.core.log.KeyStore;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;

/**
 * Who may call what. {@code /health}, {@code /ready} and the console page are open;
 * every {@code /api} and {@code /v1} route needs {@code Authorization: Bearer <key>} unless auth is
 * off, which only a loopback address allows. Keys are rate-limited per minute (requests and tokens).
 * While the server drains, every new request gets 503.
 *
 * <p>Without keys, a web page the user visits could still reach a loopback server: through DNS
 * rebinding (a name of the attacker's that resolves to 127.0.0.1) or a cross-site form post. So a
 * keyless server takes only requests whose {@code Host} is a loopback name or address, refuses a
 * state-changing request whose {@code Origin} is another site, and reads JSON bodies only when they
 * are sent as {@code application/json} (which a cross-site form cannot send). Every check works on
 * parsed values, never on substrings. A keyed server answers CORS for its configured origins only.
 */
final class AccessControl {
  static final String KEY_ID = "groundwork.key";
  /** The request attribute holding the calling key's {@link KeyStore.Scope}. */
  static final String KEY_SCOPE = "groundwork.key.scope";
  private final KeyStore keys;
  private final boolean auth;
  private final RateLimiter limits;
  private final Metrics metrics;
  private final String boundHost;
  private final java.util.function.IntSupplier port;
  private final java.util.Set<String> allowedOrigins;
  private volatile boolean draining;

  AccessControl(KeyStore keys, boolean auth, RateLimiter limits, Metrics metrics, String boundHost, java.util.function.IntSupplier port,
      java.util.List<String> allowedOrigins) {
    this.keys = keys;
    this.auth = auth;
    this.limits = limits;
    this.metrics = metrics;
    this.boundHost = boundHost.toLowerCase(java.util.Locale.ROOT);
    this.port = port;
    this.allowedOrigins = java.util.Set.copyOf(allowedOrigins);
  }

  /**
   * Checks that auth may be off on {@code host}: it must resolve, and every address it resolves to
   * must be a loopback address ({@link InetAddress#isLoopbackAddress()}), not a name that looks like one.
   *
   * @throws IllegalArgumentException when it is not
   */
  static void requireLoopback(String host) {
    InetAddress[] all;
    try {
      all = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--no-auth: cannot resolve --host " + host + "; serve without keys on a loopback address only");
    }
    for (InetAddress a : all) {
      if (!a.isLoopbackAddress()) {
        throw new IllegalArgumentException("--no-auth is allowed on a loopback address only (--host " + host + " is " + a.getHostAddress() + ")");
      }
    }
  }

  /** From now on, new requests get 503. */
  void drain() {
    draining = true;
  }

  /** The routes that change the project (documents, eval runs, feedback): what a read-only key may not call. */
  static boolean changesProject(String method, String path) {
    return method.equals("DELETE") || method.equals("POST") && (path.equals("/api/ingest") || path.equals("/api/evals") || path.equals("/api/feedback"));
  }

  /** Routes that need no key: the console page (one self-contained file), and the probes for load balancers. */
  static boolean open(String path) {
    return path.equals("/") || path.equals("/health") || path.equals("/ready");
  }

  /** The before-handler of every request. */
  void check(Context ctx) {
    ctx.attribute("t0", System.nanoTime());
    if (draining) {
      Http.json(ctx, 503, OpenAiShapes.error("the server is shutting down", "server_error", "shutting_down"));
      ctx.skipRemainingHandlers();
      return;
    }
    if (!auth) {
      String refused = OriginRules.refuseKeyless(ctx.header("Host"), ctx.header("Origin"), ctx.header("Sec-Fetch-Site"), ctx.method().name(),
          ctx.path(), ctx.contentType(), boundHost, port.getAsInt());
      if (refused != null) {
        metrics.error("forbidden");
        int status = refused.startsWith("415 ") ? 415 : 403;
        Http.json(ctx, status, OpenAiShapes.error(refused.substring(4), "invalid_request_error", status == 415 ? "unsupported_media_type" : "forbidden"));
        ctx.skipRemainingHandlers();
      }
      return;
    }
    String origin = ctx.header("Origin");
    if (origin != null && allowedOrigins.contains(OriginRules.normalize(origin))) {
      ctx.header("Access-Control-Allow-Origin", OriginRules.normalize(origin));
      ctx.header("Vary", "Origin");
      if (ctx.method().name().equals("OPTIONS")) {
        ctx.header("Access-Control-Allow-Methods", "GET, POST, DELETE");
        ctx.header("Access-Control-Allow-Headers", "Authorization, Content-Type");
        ctx.header("Access-Control-Max-Age", "600");
        ctx.status(204);
        ctx.skipRemainingHandlers();
        return;
      }
    }
    if (open(ctx.path())) return;
    String h = ctx.header("Authorization");
    String token = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).strip() : null;
    Optional<KeyStore.Key> key = token == null ? Optional.empty() : keys.verify(token);
    if (key.isEmpty()) {
      metrics.error("auth");
      Http.json(ctx, 401, OpenAiShapes.error(token == null ? "Missing API key: send Authorization: Bearer <key> (create one with `groundwork keys create`)"
          : "Incorrect API key provided", "invalid_request_error", "invalid_api_key"));
      ctx.skipRemainingHandlers();
      return;
    }
    ctx.attribute(KEY_ID, key.get().id());
    ctx.attribute(KEY_SCOPE, key.get().scope());
    if (key.get().scope().readOnly() && changesProject(ctx.method().name(), ctx.path())) {
      metrics.error("forbidden");
      Http.json(ctx, 403, OpenAiShapes.error("this key is read-only: it may ask and search, not " + ctx.method() + " " + ctx.path(),
          "invalid_request_error", "read_only_key"));
      ctx.skipRemainingHandlers();
      return;
    }
    Duration wait = limits.acquire(key.get().id());
    if (wait != null) {
      metrics.error("rate_limited");
      long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
      ctx.header("Retry-After", String.valueOf(seconds));
      Http.json(ctx, 429, OpenAiShapes.error("Rate limit reached for this key; retry after " + seconds + " s", "requests", "rate_limit_exceeded"));
      ctx.skipRemainingHandlers();
    }
  }

  /** Charges an answer's tokens to the calling key's token limit. */
  void charge(Context ctx, long tokens) {
    String keyId = ctx.attribute(KEY_ID);
    if (keyId != null) limits.charge(keyId, tokens);
  }
}
