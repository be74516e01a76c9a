package dev.groundwork.tuning.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.http.Http1Client;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * OpenAI's fine-tuning API (and compatible ones): files uploaded as {@code multipart/form-data}
 * with {@code purpose=fine-tune}, jobs created with a {@code method} ({@code supervised} or
 * {@code dpo}) and its hyperparameters, read, their events listed, cancelled. A 429 or 5xx is
 * retried up to {@value #ATTEMPTS} times, waiting as {@code Retry-After} says (else 1, 2, 4 s).
 * Errors name the provider's message. Thread-safe.
 */
public final class OpenAiFineTuning {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int ATTEMPTS = 5;

  /** A request failed: the HTTP status (0 for a connection failure) and the provider's message. */
  public static final class ApiException extends IOException {
    public final int status;

    public ApiException(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private final Http1Client http;
  private final String base;
  private final String key;
  private final java.util.function.LongConsumer sleep;

  /** @param sleep how to wait between retries, in milliseconds (tests pass one that does not sleep) */
  public OpenAiFineTuning(Http1Client http, String baseUrl, String apiKey, java.util.function.LongConsumer sleep) {
    this.http = http;
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.key = apiKey;
    this.sleep = sleep;
  }

  /** Uploads a training or validation file; returns its file id. */
  public String upload(String filename, byte[] content) throws IOException {
    String boundary = "groundwork-" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename.replace("\"", "")
        + "\"\r\nContent-Type: application/jsonl\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    JsonNode f = call("POST", "/files", "multipart/form-data; boundary=" + boundary, body.toByteArray());
    return f.path("id").asText();
  }

  /** Creates a job: {@code method} is {@code sft} or {@code dpo}; {@code epochs} null for the provider's default ("auto"). */
  public JsonNode create(String model, String trainingFile, String validationFile, String method, Integer epochs, String suffix, Long seed) throws IOException {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("model", model);
    b.put("training_file", trainingFile);
    if (validationFile != null) b.put("validation_file", validationFile);
    if (suffix != null) b.put("suffix", suffix);
    if (seed != null) b.put("seed", seed);
    String type = method.equals("dpo") ? "dpo" : "supervised";
    Map<String, Object> hp = new LinkedHashMap<>();
    hp.put("n_epochs", epochs == null ? "auto" : epochs);
    b.put("method", Map.of("type", type, type, Map.of("hyperparameters", hp)));
    return call("POST", "/fine_tuning/jobs", "application/json", JSON.writeValueAsBytes(b));
  }

  public JsonNode get(String jobId) throws IOException {
    return call("GET", "/fine_tuning/jobs/" + jobId, null, null);
  }

  /** The job's event messages, oldest first. */
  public List<String> events(String jobId) throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode e : call("GET", "/fine_tuning/jobs/" + jobId + "/events?limit=50", null, null).path("data")) out.add(0, e.path("message").asText());
    return out;
  }

  public JsonNode cancel(String jobId) throws IOException {
    return call("POST", "/fine_tuning/jobs/" + jobId + "/cancel", "application/json", new byte[0]);
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
        if (attempt >= ATTEMPTS) throw new ApiException(0, "cannot reach " + base + ": " + e.getMessage());
        sleep.accept(1000L << (attempt - 1));
        continue;
      }
      if (status / 100 == 2) return JSON.readTree(text);
      boolean retry = status == 429 || status >= 500;
      if (!retry || attempt >= ATTEMPTS) throw new ApiException(status, "HTTP " + status + " from " + method + " " + path + ": " + message(text));
      sleep.accept(wait != null ? wait.toMillis() : 1000L << (attempt - 1));
    }
  }

  private static String message(String text) {
    try {
      JsonNode e = JSON.readTree(text).path("error");
      return e.path("message").asText(text) + (e.hasNonNull("code") ? " (" + e.get("code").asText() + ")" : "");
    } catch (IOException ex) {
      return text.length() > 200 ? text.substring(0, 200) : text;
    }
  }
}
