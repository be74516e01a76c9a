package dev.groundwork.tuning.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.http.Http1Client;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Fireworks AI's fine-tuning API, under {@code /v1/accounts/ACCOUNT}: a dataset is a record ({@code POST
 * /datasets} with {@code datasetId} and {@code dataset: {userUploaded: {}}}) whose file is sent as
 * multipart ({@code POST /datasets/ID:upload}, part {@code file}) and read until its {@code state} is
 * {@code READY}; a job is {@code POST /supervisedFineTuningJobs} ({@code dataset}, {@code baseModel},
 * {@code epochs}, {@code evaluationDataset}, {@code outputModel}) or, for preference pairs, {@code POST
 * /dpoJobs} ({@code dataset}, {@code trainingConfig: {baseModel, epochs, outputModel}}); {@code GET} reads
 * it and {@code DELETE} stops it (the API has no separate cancel for these jobs). States: {@code
 * JOB_STATE_CREATING}, {@code PENDING}, {@code VALIDATING} and the like are queued; {@code COMPLETED}
 * and {@code EARLY_STOPPED} succeeded (the model is {@code outputModel}); {@code FAILED} and {@code
 * EXPIRED} failed (with {@code status.message}); {@code CANCELLED}, {@code CANCELLING} and {@code
 * DELETING} cancelled; the rest running. The API has no events list: a job's events are its state and
 * {@code jobProgress}. Our job ids are {@code sftj-ID} and {@code dpoj-ID}. Thread-safe.
 */
public final class FireworksFineTuning implements FineTuningApi {
  /** How many times a dataset is read, waiting 1, 2, 4 ... s (at most 30), until it is READY. */
  static final int DATASET_POLLS = 10;

  private final ApiCalls api;
  private final String account;
  private final LongConsumer sleep;

  /** @param baseUrl the API's root, {@code https://api.fireworks.ai/v1} */
  public FireworksFineTuning(Http1Client http, String baseUrl, String apiKey, String account, LongConsumer sleep) {
    if (!account.matches("[a-z0-9][a-z0-9-]{0,62}")) throw new IllegalArgumentException("not a Fireworks account id: '" + account + "'");
    this.api = new ApiCalls(http, baseUrl, apiKey, sleep);
    this.account = account;
    this.sleep = sleep;
  }

  @Override
  public String name() {
    return "fireworks";
  }

  private String accountPath() {
    return "/accounts/" + account;
  }

  /**
   * Creates the dataset record (named by the content's hash, so a retry after a failure finds it), sends
   * the file, and waits until Fireworks has read it; returns the dataset's resource name.
   */
  @Override
  public String upload(String filename, byte[] content) throws IOException {
    String id = "groundwork-" + sha256(content).substring(0, 20);
    String lines = String.valueOf(new String(content, StandardCharsets.UTF_8).strip().split("\n").length);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("datasetId", id);
    body.put("dataset", Map.of("displayName", filename, "exampleCount", lines, "userUploaded", Map.of()));
    try {
      api.json("POST", accountPath() + "/datasets", body);
    } catch (OpenAiFineTuning.ApiException e) {
      if (e.status != 409) throw e; // 409: made by an earlier try; its file is sent again below unless it is READY
    }
    String path = accountPath() + "/datasets/" + id;
    if (!api.json("GET", path, null).path("state").asText().equals("READY")) {
      api.multipart(path + ":upload", Map.of(), filename, content);
      long wait = 1000;
      for (int i = 0; ; i++) {
        JsonNode d = api.json("GET", path, null);
        String state = d.path("state").asText();
        if (state.equals("READY")) break;
        if (d.path("status").path("code").asText("OK").matches("INVALID_ARGUMENT|FAILED_PRECONDITION|INTERNAL")) {
          throw new OpenAiFineTuning.ApiException(400, "dataset " + id + " was not accepted: " + d.path("status").path("message").asText(state));
        }
        if (i + 1 >= DATASET_POLLS) throw new OpenAiFineTuning.ApiException(0, "dataset " + id + " is still " + state + " after " + DATASET_POLLS + " reads");
        sleep.accept(wait);
        wait = Math.min(wait * 2, 30_000);
      }
    }
    return "accounts/" + account + "/datasets/" + id;
  }

  @Override
  public State create(String model, String trainingFile, String validationFile, String method, Integer epochs, String suffix, Long seed) throws IOException {
    boolean dpo = method.equals("dpo");
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("baseModel", model);
    if (epochs != null) training.put("epochs", epochs);
    if (suffix != null) training.put("outputModel", "accounts/" + account + "/models/" + suffix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-"));
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("dataset", trainingFile);
    b.put("displayName", "groundwork " + (suffix == null ? method : suffix));
    if (dpo) {
      b.put("trainingConfig", training);
    } else {
      b.putAll(training);
      if (validationFile != null) b.put("evaluationDataset", validationFile);
    }
    // Fireworks takes no seed for these jobs; a validation file is used by SFT only
    return state(api.json("POST", accountPath() + (dpo ? "/dpoJobs" : "/supervisedFineTuningJobs"), b), dpo);
  }

  @Override
  public State get(String jobId) throws IOException {
    return state(api.json("GET", jobPath(jobId), null), jobId.startsWith("dpoj-"));
  }

  @Override
  public List<String> events(String jobId) throws IOException {
    JsonNode j = api.json("GET", jobPath(jobId), null);
    JsonNode p = j.path("jobProgress");
    String progress = p.isMissingNode() ? "" : String.format(Locale.ROOT, ": %d%%, epoch %d", p.path("percent").asInt(), p.path("epoch").asInt());
    String message = j.path("status").path("message").asText("");
    return List.of(j.path("state").asText() + progress + (message.isEmpty() ? "" : " (" + message + ")"));
  }

  @Override
  public State cancel(String jobId) throws IOException {
    api.json("DELETE", jobPath(jobId), null);
    return new State(jobId, "cancelled", "JOB_STATE_DELETING", null, null, null);
  }

  private String jobPath(String jobId) {
    if (!jobId.matches("(sftj|dpoj)-[A-Za-z0-9_-]{1,100}")) throw new IllegalArgumentException("not a Fireworks job id of groundwork's: " + jobId);
    return accountPath() + (jobId.startsWith("dpoj-") ? "/dpoJobs/" : "/supervisedFineTuningJobs/") + jobId.substring(5);
  }

  static State state(JsonNode j, boolean dpo) {
    String name = j.path("name").asText();
    String id = (dpo ? "dpoj-" : "sftj-") + name.substring(name.lastIndexOf('/') + 1);
    String raw = j.path("state").asText("JOB_STATE_UNSPECIFIED");
    String status = switch (raw) {
      case "JOB_STATE_COMPLETED", "JOB_STATE_EARLY_STOPPED" -> "succeeded";
      case "JOB_STATE_FAILED", "JOB_STATE_EXPIRED", "JOB_STATE_FAILED_CLEANING_UP" -> "failed";
      case "JOB_STATE_CANCELLED", "JOB_STATE_CANCELLING", "JOB_STATE_DELETING", "JOB_STATE_DELETING_CLEANING_UP" -> "cancelled";
      case "JOB_STATE_UNSPECIFIED", "JOB_STATE_CREATING", "JOB_STATE_PENDING", "JOB_STATE_VALIDATING", "JOB_STATE_RE_QUEUEING",
          "JOB_STATE_CREATING_INPUT_DATASET", "JOB_STATE_IDLE" -> "queued";
      default -> "running";
    };
    JsonNode config = dpo ? j.path("trainingConfig") : j;
    String model = status.equals("succeeded") ? config.path("outputModel").asText(null) : null;
    String error = status.equals("failed") ? j.path("status").path("message").asText("the job failed") : null;
    JsonNode tokens = j.path("jobProgress").path("inputTokens");
    return new State(id, status, raw, model, error, tokens.isNumber() || tokens.isTextual() ? tokens.asLong() : null);
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
