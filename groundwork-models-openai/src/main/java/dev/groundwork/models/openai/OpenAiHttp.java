package dev.groundwork.models.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.core.model.ModelException.Kind;
import dev.groundwork.core.model.ModelException;
import dev.groundwork.core.text.Snippets;
import dev.groundwork.http.Http1Client;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Requests to one OpenAI-compatible server and its failures as {@link ModelException}s: HTTP errors
 * typed by {@link OpenAiErrors} (with {@code Retry-After}), read timeouts {@code TIMEOUT}, connection
 * failures {@code UNAVAILABLE}, replies that are not JSON objects {@code MALFORMED_RESPONSE}.
 * Thread-safe.
 */
final class OpenAiHttp {
  static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final String base;
  private final Map<String, List<String>> headers;
  private final Http1Client http;
  private static final int MAX_IDLE = 512;
  /** Connections to one provider at a time; more requests wait up to the connect timeout for one. */
  static final int MAX_PER_HOST = 1024;

  /**
   * @param name the model's Groundwork name, for error messages
   * @param env where HTTPS_PROXY, HTTP_PROXY and NO_PROXY are read from (the project's environment)
   */
  OpenAiHttp(String name, String baseUrl, String apiKey, Duration connectTimeout, Duration timeout, Map<String, String> env) {
    this.name = name;
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.headers = Map.of("Authorization", List.of("Bearer " + apiKey), "Content-Type", List.of("application/json"),
        "Accept", List.of("application/json, text/event-stream"));
    this.http = new Http1Client(connectTimeout, timeout, null, MAX_IDLE, MAX_PER_HOST, dev.groundwork.http.Proxies.fromEnvironment(env));
  }

  /** POSTs {@code body} to {@code base + path}; a 2xx response is returned open, anything else thrown. */
  Http1Client.Response post(String path, byte[] body) {
    Http1Client.Response r;
    try {
      r = http.send("POST", URI.create(base + path), headers, body);
    } catch (IOException e) {
      throw io(e);
    }
    if (r.status() / 100 == 2) return r;
    String text;
    try {
      text = r.bodyText();
    } catch (IOException e) {
      text = "";
    }
    Duration retryAfter = Http1Client.retryAfter(r.header("retry-after"), Clock.systemUTC());
    throw new ModelException(name, OpenAiErrors.kind(r.status(), text), "HTTP " + r.status() + ": " + abbreviate(text), retryAfter, null);
  }

  /** POSTs and reads the whole reply as a JSON object. */
  JsonNode postJson(String path, Object body) {
    try (Http1Client.Response r = post(path, JSON.writeValueAsBytes(body))) {
      return parse(r.bodyText());
    } catch (IOException e) {
      throw io(e);
    }
  }

  JsonNode parse(String text) {
    try {
      JsonNode n = JSON.readTree(text);
      if (n == null || !n.isObject()) throw malformed("the reply is not a JSON object: " + abbreviate(text), null);
      return n;
    } catch (JsonProcessingException e) {
      throw malformed("the reply is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  ModelException malformed(String message, Throwable cause) {
    return new ModelException(name, Kind.MALFORMED_RESPONSE, message, null, cause);
  }

  ModelException io(IOException e) {
    if (e instanceof SocketTimeoutException) return new ModelException(name, Kind.TIMEOUT, "timed out: " + e.getMessage(), null, e);
    return new ModelException(name, Kind.UNAVAILABLE, "cannot reach the model server at " + base + ": " + e, null, e);
  }

  static String abbreviate(String s) {
    return Snippets.oneLine(s, 300);
  }
}
