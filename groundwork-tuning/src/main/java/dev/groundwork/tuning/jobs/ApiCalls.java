package dev.groundwork.tuning.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.http.Http1Client;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * JSON over HTTP with a bearer key, as the fine-tuning APIs share it: a 429 or 5xx (or a connection
 * failure) is retried up to {@value #ATTEMPTS} times, waiting as {@code Retry-After} says, else 1, 2,
 * 4, 8 s; other errors carry the provider's message. Thread-safe.
 */
final class ApiCalls {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int ATTEMPTS = 5;

  private final Http1Client http;
  private final String base;
  private final String key;
  private final LongConsumer sleep;

  ApiCalls(Http1Client http, String baseUrl, String apiKey, LongConsumer sleep) {
    this.http = http;
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.key = apiKey;
    this.sleep = sleep;
  }

  JsonNode json(String method, String path, Object body) throws IOException {
    return call(method, path, body == null ? null : "application/json", body == null ? (method.equals("POST") ? new byte[0] : null) : JSON.writeValueAsBytes(body));
  }

  /** A {@code multipart/form-data} POST of {@code fields} and one file part named {@code file}. */
  JsonNode multipart(String path, Map<String, String> fields, String filename, byte[] content) throws IOException {
    String boundary = "groundwork-" + UUID.randomUUID();
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (var f : fields.entrySet()) {
      b.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n" + f.getValue() + "\r\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    b.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename.replace("\"", "")
        + "\"\r\nContent-Type: application/jsonl\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    b.writeBytes(content);
    b.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return call("POST", path, "multipart/form-data; boundary=" + boundary, b.toByteArray());
  }

  private JsonNode call(String method, String path, String contentType, byte[] body) throws IOException {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Authorization", List.of("Bearer " + key));
    if (contentType != null) headers.put("Content-Type", List.of(contentType));
    for (int attempt = 1; ; attempt++) {
      int status;
      String text;
      Duration wait;
      try (Http1Client.Response r = http.send(method, URI.create(base + path), headers, body)) {
        status = r.status();
        text = r.bodyText();
        wait = Http1Client.retryAfter(r.header("retry-after"), java.time.Clock.systemUTC());
      } catch (IOException e) {
        if (attempt >= ATTEMPTS) throw new OpenAiFineTuning.ApiException(0, "cannot reach " + base + ": " + e.getMessage());
        sleep.accept(1000L << (attempt - 1));
        continue;
      }
      if (status / 100 == 2) return JSON.readTree(text);
      boolean retry = status == 429 || status >= 500;
      if (!retry || attempt >= ATTEMPTS) throw new OpenAiFineTuning.ApiException(status, "HTTP " + status + " from " + method + " " + path + ": " + message(text));
      sleep.accept(wait != null ? wait.toMillis() : 1000L << (attempt - 1));
    }
  }

  private static String message(String text) {
    try {
      JsonNode n = JSON.readTree(text);
      JsonNode e = n.path("error");
      if (e.isTextual()) return e.asText();
      if (e.isObject()) return e.path("message").asText(text) + (e.hasNonNull("code") ? " (" + e.get("code").asText() + ")" : "");
      return n.path("message").asText(text);
    } catch (IOException ex) {
      return text.length() > 200 ? text.substring(0, 200) : text;
    }
  }
}
