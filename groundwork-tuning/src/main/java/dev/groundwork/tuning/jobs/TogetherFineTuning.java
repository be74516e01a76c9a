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
 * Together's fine-tuning API: {@code POST /files/upload} (multipart: {@code purpose=fine-tune},
 * {@code file_name}, {@code file}), {@code POST /fine-tunes} ({@code training_file}, {@code model},
 * {@code n_epochs}, {@code suffix}, {@code training_method}, {@code training_type} LoRA), {@code GET
 * /fine-tunes/ID[/events]}, {@code POST /fine-tunes/ID/cancel}. States: {@code pending} and {@code
 * queued} are queued; {@code running}, {@code compressing} and {@code uploading} are running;
 * {@code completed} succeeded (the model is {@code model_output_name}); {@code error} failed;
 * {@code cancel_requested} and {@code cancelled} cancelled. Thread-safe.
 */
public final class TogetherFineTuning implements FineTuningApi {
  private final ApiCalls api;

  public TogetherFineTuning(Http1Client http, String baseUrl, String apiKey, LongConsumer sleep) {
    this.api = new ApiCalls(http, baseUrl, apiKey, sleep);
  }

  @Override
  public String name() {
    return "together";
  }

  @Override
  public String upload(String filename, byte[] content) throws IOException {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("purpose", "fine-tune");
    fields.put("file_name", filename);
    fields.put("file_type", "jsonl");
    return api.multipart("/files/upload", fields, filename, content).path("id").asText();
  }

  @Override
  public State create(String model, String trainingFile, String validationFile, String method, Integer epochs, String suffix, Long seed) throws IOException {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("training_file", trainingFile);
    b.put("model", model);
    if (validationFile != null) b.put("validation_file", validationFile);
    if (epochs != null) b.put("n_epochs", epochs);
    if (suffix != null) b.put("suffix", suffix);
    if (seed != null) b.put("random_seed", seed);
    b.put("training_method", Map.of("method", method.equals("dpo") ? "dpo" : "sft"));
    b.put("training_type", Map.of("type", "Lora"));
    return state(api.json("POST", "/fine-tunes", b));
  }

  @Override
  public State get(String jobId) throws IOException {
    return state(api.json("GET", "/fine-tunes/" + jobId, null));
  }

  @Override
  public List<String> events(String jobId) throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode e : api.json("GET", "/fine-tunes/" + jobId + "/events", null).path("data")) out.add(e.path("message").asText());
    return out;
  }

  @Override
  public State cancel(String jobId) throws IOException {
    return state(api.json("POST", "/fine-tunes/" + jobId + "/cancel", null));
  }

  static State state(JsonNode j) {
    String raw = j.path("status").asText();
    String status = switch (raw) {
      case "pending", "queued" -> "queued";
      case "completed" -> "succeeded";
      case "error" -> "failed";
      case "cancel_requested", "cancelled" -> "cancelled";
      default -> "running";
    };
    String error = status.equals("failed") ? lastEventMessage(j) : null;
    return new State(j.path("id").asText(), status, raw, status.equals("succeeded") ? j.path("model_output_name").asText(null) : null, error,
        j.hasNonNull("token_count") ? j.get("token_count").asLong() : null);
  }

  private static String lastEventMessage(JsonNode j) {
    JsonNode ev = j.path("events");
    return ev.isArray() && ev.size() > 0 ? ev.get(ev.size() - 1).path("message").asText("the job failed") : "the job failed";
  }
}
