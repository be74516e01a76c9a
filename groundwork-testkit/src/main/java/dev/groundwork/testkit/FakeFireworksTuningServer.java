package dev.groundwork.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fireworks AI's fine-tuning API over a real socket, as its reference documents it, under {@code
 * /v1/accounts/ACCOUNT}: {@code POST /datasets} ({@code datasetId}, {@code dataset: {userUploaded}};
 * 409 when the id exists), {@code POST /datasets/ID:upload} (multipart, part {@code file}), {@code GET
 * /datasets/ID} ({@code state} {@code UPLOADING} until the file came and was read once, then {@code
 * READY}); {@code POST /supervisedFineTuningJobs} and {@code POST /dpoJobs} (the dataset must be
 * READY), {@code GET} and {@code DELETE} of either. A job moves one state per read: {@code
 * JOB_STATE_CREATING}, {@code JOB_STATE_VALIDATING}, {@code JOB_STATE_RUNNING} (with {@code
 * jobProgress}), {@code JOB_STATE_WRITING_RESULTS}, {@code JOB_STATE_COMPLETED} with its {@code
 * outputModel}; {@code JOB_STATE_FAILED} with {@code status.message} when {@link #failJobs}. A deleted
 * job reads {@code JOB_STATE_DELETING} once, then 404. Every {@link #rateLimitEvery}th request gets a
 * 429 with {@code Retry-After: 0} (0: none). Errors are {@code {"code", "message"}} as Fireworks sends
 * them.
 */
public final class FakeFireworksTuningServer extends FakeTuningServer {
  static final List<String> STATES = List.of("JOB_STATE_CREATING", "JOB_STATE_VALIDATING", "JOB_STATE_RUNNING", "JOB_STATE_WRITING_RESULTS",
      "JOB_STATE_COMPLETED");

  public final String account;
  public volatile int rateLimitEvery;
  /** Dataset records by id: their state, and the file once uploaded (also in {@link #files}). */
  public final Map<String, Map<String, Object>> datasets = new java.util.concurrent.ConcurrentHashMap<>();

  private static final Pattern DATASET = Pattern.compile("/v1/accounts/([^/]+)/datasets(?:/([^/:]+)(:upload)?)?");
  private static final Pattern JOB = Pattern.compile("/v1/accounts/([^/]+)/(supervisedFineTuningJobs|dpoJobs)(?:/([^/]+))?");

  public FakeFireworksTuningServer(String account) {
    this.account = account;
  }

  private static void error(RawHttpServer.Response res, int status, String code, String message) throws IOException {
    res.send(status, "application/json", JSON.writeValueAsString(Map.of("code", code, "message", message)));
  }

  @Override
  void handle(RawHttpServer.Request req, RawHttpServer.Response res) throws IOException {
    requests.add(req.method() + " " + req.path());
    if (rateLimitEvery > 0 && requests.size() % rateLimitEvery == 0) {
      res.header("Retry-After", "0");
      error(res, 429, "RESOURCE_EXHAUSTED", "rate limit exceeded");
      return;
    }
    if (req.header("authorization") == null || !req.header("authorization").startsWith("Bearer ")) {
      error(res, 401, "UNAUTHENTICATED", "missing API key");
      return;
    }
    Matcher d = DATASET.matcher(req.path());
    Matcher j = JOB.matcher(req.path());
    if ((d.matches() && !d.group(1).equals(account)) || (j.matches() && !j.group(1).equals(account))) {
      error(res, 403, "PERMISSION_DENIED", "no access to this account");
      return;
    }
    if (d.matches()) dataset(req, res, d.group(2), d.group(3) != null);
    else if (j.matches()) job(req, res, j.group(2), j.group(3));
    else error(res, 404, "NOT_FOUND", "no such path " + req.path());
  }

  private void dataset(RawHttpServer.Request req, RawHttpServer.Response res, String id, boolean upload) throws IOException {
    if (id == null && req.method().equals("POST")) {
      JsonNode b = JSON.readTree(req.body());
      String newId = b.path("datasetId").asText();
      if (!newId.matches("[a-z0-9][a-z0-9-]{0,62}") || !b.path("dataset").has("userUploaded")) {
        error(res, 400, "INVALID_ARGUMENT", "datasetId (lowercase letters, digits, '-') and dataset.userUploaded are required");
        return;
      }
      if (datasets.containsKey(newId)) {
        error(res, 409, "ALREADY_EXISTS", "dataset accounts/" + account + "/datasets/" + newId + " already exists");
        return;
      }
      Map<String, Object> ds = new LinkedHashMap<>();
      ds.put("name", "accounts/" + account + "/datasets/" + newId);
      ds.put("displayName", b.path("dataset").path("displayName").asText(newId));
      ds.put("createTime", "2026-12-03T10:00:00Z");
      ds.put("state", "UPLOADING");
      ds.put("status", Map.of("code", "OK", "message", ""));
      ds.put("exampleCount", b.path("dataset").path("exampleCount").asText("0"));
      ds.put("userUploaded", Map.of());
      datasets.put(newId, ds);
      res.send(200, "application/json", JSON.writeValueAsString(ds));
      return;
    }
    Map<String, Object> ds = id == null ? null : datasets.get(id);
    if (ds == null) {
      error(res, 404, "NOT_FOUND", "dataset not found");
      return;
    }
    if (upload && req.method().equals("POST")) {
      byte[] content = RawMultipart.parse(req, new LinkedHashMap<>());
      if (content == null) {
        error(res, 400, "INVALID_ARGUMENT", "a multipart/form-data body with a part named file is required");
        return;
      }
      files.put(id, content);
      ds.put("uploaded", true);
      res.send(200, "application/json", "{}");
      return;
    }
    if (req.method().equals("GET")) {
      if (Boolean.TRUE.equals(ds.get("uploaded"))) {
        // read once while it is being processed, then ready
        if (ds.get("state").equals("UPLOADING") && ds.containsKey("seen")) ds.put("state", "READY");
        ds.put("seen", true);
      }
      Map<String, Object> out = new LinkedHashMap<>(ds);
      out.remove("uploaded");
      out.remove("seen");
      res.send(200, "application/json", JSON.writeValueAsString(out));
      return;
    }
    error(res, 405, "UNIMPLEMENTED", "method not allowed");
  }

  private void job(RawHttpServer.Request req, RawHttpServer.Response res, String kind, String id) throws IOException {
    boolean dpo = kind.equals("dpoJobs");
    if (id == null && req.method().equals("POST")) {
      JsonNode b = JSON.readTree(req.body());
      String dataset = b.path("dataset").asText();
      String dsId = dataset.substring(dataset.lastIndexOf('/') + 1);
      Map<String, Object> ds = datasets.get(dsId);
      if (!dataset.equals("accounts/" + account + "/datasets/" + dsId) || ds == null || !"READY".equals(ds.get("state"))) {
        error(res, 400, "FAILED_PRECONDITION", "dataset " + dataset + " is not READY");
        return;
      }
      JsonNode config = dpo ? b.path("trainingConfig") : b;
      if (config.path("baseModel").asText().isEmpty()) {
        error(res, 400, "INVALID_ARGUMENT", "baseModel is required");
        return;
      }
      String newId = (dpo ? "dpo" : "sft") + ids.incrementAndGet() + "x7k";
      Map<String, Object> job = new LinkedHashMap<>();
      job.put("name", "accounts/" + account + "/" + kind + "/" + newId);
      job.put("displayName", b.path("displayName").asText(""));
      job.put("dataset", dataset);
      job.put("createTime", "2026-12-03T10:00:00Z");
      job.put("state", "JOB_STATE_CREATING");
      job.put("status", Map.of("code", "OK", "message", ""));
      Map<String, Object> training = new LinkedHashMap<>();
      training.put("baseModel", config.path("baseModel").asText());
      training.put("epochs", config.path("epochs").asInt(1));
      if (config.hasNonNull("outputModel")) training.put("outputModel", config.get("outputModel").asText());
      if (dpo) job.put("trainingConfig", training);
      else job.putAll(training);
      if (b.hasNonNull("evaluationDataset")) job.put("evaluationDataset", b.get("evaluationDataset").asText());
      jobs.put(newId, job);
      step.put(newId, 0);
      res.send(200, "application/json", JSON.writeValueAsString(job));
      return;
    }
    Map<String, Object> job = id == null ? null : jobs.get(id);
    if (job == null) {
      error(res, 404, "NOT_FOUND", "job not found");
      return;
    }
    if (req.method().equals("DELETE")) {
      job.put("state", "JOB_STATE_DELETING");
      job.put("deleted", true);
      res.send(200, "application/json", "{}");
      return;
    }
    if (Boolean.TRUE.equals(job.remove("deleted"))) {
      // read once while it is being deleted; gone after that
      Map<String, Object> out = new LinkedHashMap<>(job);
      jobs.remove(id);
      res.send(200, "application/json", JSON.writeValueAsString(out));
      return;
    }
    String state = (String) job.get("state");
    if (!List.of("JOB_STATE_COMPLETED", "JOB_STATE_FAILED").contains(state)) {
      int s = step.merge(id, 1, Integer::sum);
      if (failJobs && s >= 2) {
        job.put("state", "JOB_STATE_FAILED");
        job.put("status", Map.of("code", "INVALID_ARGUMENT", "message", "example 3 is longer than maxContextLength 8192"));
      } else {
        String next = STATES.get(Math.min(s, STATES.size() - 1));
        job.put("state", next);
        if (next.equals("JOB_STATE_RUNNING")) job.put("jobProgress", Map.of("percent", 40, "epoch", 1, "inputTokens", 1200));
        if (next.equals("JOB_STATE_COMPLETED")) {
          job.put("jobProgress", Map.of("percent", 100, "epoch", 2, "inputTokens", 2400));
          Map<String, Object> config = dpo ? castMap(job.get("trainingConfig")) : job;
          config.putIfAbsent("outputModel", "accounts/" + account + "/models/ft-" + id);
          job.put("completedTime", "2026-12-03T11:00:00Z");
        }
      }
    }
    res.send(200, "application/json", JSON.writeValueAsString(job));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }
}
