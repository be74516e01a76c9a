package dev.groundwork.tuning.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.http.Http1Client;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * OpenAI's fine-tuning API (and compatible ones): {@code POST /files} (multipart, {@code
 * purpose=fine-tune}), {@code POST /fine_tuning/jobs} with a {@code method} ({@code supervised} or
 * {@code dpo}) and its hyperparameters, {@code GET /fine_tuning/jobs/ID[/events]}, {@code POST
 * .../cancel}. States: {@code validating_files} and {@code queued} are queued; {@code running};
 * {@code succeeded}; {@code failed}; {@code cancelled}. Thread-safe.
 */
public final class OpenAiFineTuning implements FineTuningApi {
  /** A request failed: the HTTP status (0 for a connection failure) and the provider's message. */
  public static final class ApiException extends IOException {
    public final int status;

    public ApiException(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private final ApiCalls api;

  /** @param sleep how to wait between retries, in milliseconds */
  public OpenAiFineTuning(Http1Client http, String baseUrl, String apiKey, LongConsumer sleep) {
    this.api = new ApiCalls(http, baseUrl, apiKey, sleep);
  }

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public String upload(String filename, byte[] content) throws IOException {
    return api.multipart("/files", Map.of("purpose", "fine-tune"), filename, content).path("id").asText();
  }

  @Override
  public State create(String model, String trainingFile, String validationFile, String method, Integer epochs, String suffix, Long seed) throws IOException {
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
    return state(api.json("POST", "/fine_tuning/jobs", b));
  }

  @Override
  public State get(String jobId) throws IOException {
    return state(api.json("GET", "/fine_tuning/jobs/" + jobId, null));
  }

  @Override
  public List<String> events(String jobId) throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode e : api.json("GET", "/fine_tuning/jobs/" + jobId + "/events?limit=50", null).path("data")) out.add(0, e.path("message").asText());
    return out;
  }

  @Override
  public State cancel(String jobId) throws IOException {
    return state(api.json("POST", "/fine_tuning/jobs/" + jobId + "/cancel", null));
  }

  static State state(JsonNode j) {
    String raw = j.path("status").asText();
    String status = switch (raw) {
      case "validating_files", "queued" -> "queued";
      case "running", "succeeded", "failed", "cancelled" -> raw;
      default -> "running";
    };
    JsonNode e = j.path("error");
    String error = e.isObject() && e.hasNonNull("message") ? e.path("message").asText() + (e.hasNonNull("code") ? " (" + e.get("code").asText() + ")" : "") : null;
    return new State(j.path("id").asText(), status, raw, j.path("fine_tuned_model").asText(null), error,
        j.hasNonNull("trained_tokens") ? j.get("trained_tokens").asLong() : null);
  }
}
