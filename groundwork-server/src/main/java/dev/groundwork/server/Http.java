package dev.groundwork.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Reading requests and writing JSON responses, the same way on every route. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Set once a handler wrote its body, so the 404 fallback leaves it alone. */
  static final String WRITTEN = "groundwork.written";

  private Http() {}

  /** A client error, answered with 400 and its message. */
  static final class BadRequest extends RuntimeException {
    /** The request parameter at fault, as OpenAI's error names it in {@code param}; may be null. */
    final String param;

    BadRequest(String message) {
      this(message, null);
    }

    BadRequest(String message, String param) {
      super(message);
      this.param = param;
    }
  }

  /** A request this caller may not make (403), or may no longer afford (429), with OpenAI's error code. */
  static final class Refused extends RuntimeException {
    final int status;
    final String code;

    Refused(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  /** Content the server does not take (binary, or not what its name says), answered with 415. */
  static final class Unsupported extends RuntimeException {
    Unsupported(String message) {
      super(message);
    }
  }

  /**
   * Writes a JSON body straight to the response: Javalin's result pipeline would copy it through a
   * fresh buffer per request, which showed in the gateway's allocation profile.
   */
  static void json(Context ctx, int status, Object body) {
    try {
      byte[] bytes = JSON.writeValueAsBytes(body);
      ctx.status(status).contentType("application/json");
      ctx.res().setContentLength(bytes.length);
      ctx.res().getOutputStream().write(bytes);
      ctx.attribute(WRITTEN, Boolean.TRUE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the response: " + e.getMessage(), e);
    }
  }

  /** The request body as a JSON object. */
  static JsonNode body(Context ctx) {
    try {
      JsonNode n = JSON.readTree(ctx.bodyAsBytes()); // bytes: JSON is UTF-8, and decoding to a String first cost time per request
      if (n == null || !n.isObject()) throw new BadRequest("the body must be a JSON object");
      return n;
    } catch (IOException e) {
      throw new BadRequest("the body is not valid JSON: " + e.getMessage());
    }
  }

  static int intParam(Context ctx, String name, int def, int min, int max) {
    String v = ctx.queryParam(name);
    if (v == null) return def;
    try {
      int i = Integer.parseInt(v);
      if (i < min || i > max) throw new BadRequest(name + " must be in " + min + ".." + max + ", got " + v);
      return i;
    } catch (NumberFormatException e) {
      throw new BadRequest(name + " must be a whole number, got '" + v + "'");
    }
  }

  static Instant instant(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null) return null;
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new BadRequest(name + " must be an ISO-8601 instant like 2026-11-25T10:00:00Z, got '" + v + "'");
    }
  }

  /** {@code bytes} random bytes in hex: ids for queries, completions and errors. */
  static String hex(int bytes) {
    byte[] b = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
