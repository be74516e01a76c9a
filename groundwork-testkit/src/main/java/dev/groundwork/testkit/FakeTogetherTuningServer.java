package dev.groundwork.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Together's fine-tuning API over a real socket, as its reference documents it: {@code POST
 * /v1/files/upload} (multipart: {@code purpose}, {@code file_name}, {@code file}), {@code POST
 * /v1/fine-tunes}, {@code GET /v1/fine-tunes/ID[/events]}, {@code POST /v1/fine-tunes/ID/cancel}. A
 * job moves one state per read: {@code pending}, {@code queued}, {@code running}, {@code
 * uploading}, {@code completed} with its {@code model_output_name}; or {@code error} when {@link
 * #failJobs}. The first {@link #serverErrorsFirst} requests get 503.
 */
public final class FakeTogetherTuningServer extends FakeTuningServer {
  static final List<String> STATES = List.of("pending", "queued", "running", "uploading", "completed");

  public volatile int serverErrorsFirst;

  private static final Pattern JOB = Pattern.compile("/v1/fine-tunes/([^/?]+)(/events|/cancel)?");

  @Override
  void handle(RawHttpServer.Request req, RawHttpServer.Response res) throws IOException {
    requests.add(req.method() + " " + req.path());
    if (requests.size() <= serverErrorsFirst) {
      res.send(503, "application/json", "{\"error\": {\"message\": \"Service unavailable\", \"type\": \"server_error\"}}");
      return;
    }
    if (req.header("authorization") == null || !req.header("authorization").startsWith("Bearer ")) {
      res.send(401, "application/json", "{\"error\": {\"message\": \"Unauthorized\", \"type\": \"invalid_request_error\"}}");
      return;
    }
    if (req.method().equals("POST") && req.path().equals("/v1/files/upload")) {
      Map<String, String> fields = new LinkedHashMap<>();
      byte[] content = RawMultipart.parse(req, fields);
      if (content == null || !"fine-tune".equals(fields.get("purpose")) || fields.get("file_name") == null) {
        res.send(400, "application/json", "{\"error\": {\"message\": \"purpose, file_name and file are required\"}}");
        return;
      }
      String id = "file-" + ids.incrementAndGet();
      files.put(id, content);
      res.send(200, "application/json", JSON.writeValueAsString(Map.of("id", id, "object", "file", "created_at", 1_764_720_000, "filename",
          fields.get("file_name"), "bytes", content.length, "purpose", "fine-tune", "Processed", true, "FileType", "jsonl",
          "LineCount", new String(content, StandardCharsets.UTF_8).strip().split("\n").length)));
      return;
    }
    if (req.method().equals("POST") && req.path().equals("/v1/fine-tunes")) {
      JsonNode b = JSON.readTree(req.body());
      if (!files.containsKey(b.path("training_file").asText())) {
        res.send(400, "application/json", "{\"error\": {\"message\": \"training_file not found\"}}");
        return;
      }
      String id = "ft-" + ids.incrementAndGet();
      Map<String, Object> job = new LinkedHashMap<>();
      job.put("id", id);
      job.put("status", "pending");
      job.put("training_file", b.get("training_file").asText());
      job.put("model", b.path("model").asText());
      job.put("n_epochs", b.path("n_epochs").asInt(1));
      job.put("suffix", b.path("suffix").asText(null));
      job.put("training_method", JSON.convertValue(b.path("training_method"), Map.class));
      job.put("training_type", JSON.convertValue(b.path("training_type"), Map.class));
      job.put("events", new ArrayList<>(List.of(event("Fine tune request created"))));
      job.put("created_at", "2026-12-03T10:00:00Z");
      jobs.put(id, job);
      step.put(id, 0);
      res.send(200, "application/json", JSON.writeValueAsString(job));
      return;
    }
    Matcher m = JOB.matcher(req.path());
    Map<String, Object> job = m.matches() ? jobs.get(m.group(1)) : null;
    if (job == null) {
      res.send(404, "application/json", "{\"error\": {\"message\": \"fine-tune not found\"}}");
      return;
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> events = (List<Map<String, Object>>) job.get("events");
    if ("/cancel".equals(m.group(2))) {
      job.put("status", "cancelled");
      events.add(event("Job cancelled"));
    } else if ("/events".equals(m.group(2))) {
      res.send(200, "application/json", JSON.writeValueAsString(Map.of("data", events)));
      return;
    } else if (!List.of("completed", "error", "cancelled").contains(job.get("status"))) {
      int s = step.merge(m.group(1), 1, Integer::sum);
      if (failJobs && s >= 2) {
        job.put("status", "error");
        events.add(event("Training failed: the dataset has lines longer than the context length"));
      } else {
        job.put("status", STATES.get(Math.min(s, STATES.size() - 1)));
        events.add(event("Status: " + job.get("status")));
        if (job.get("status").equals("completed")) {
          job.put("model_output_name", "groundwork/" + job.get("model").toString().replaceAll(".*/", "") + "-" + job.get("suffix") + "-" + m.group(1));
          job.put("token_count", files.get(job.get("training_file")).length / 4);
        }
      }
    }
    res.send(200, "application/json", JSON.writeValueAsString(job));
  }

  private static Map<String, Object> event(String message) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("object", "fine-tune-event");
    e.put("created_at", "2026-12-03T10:00:00Z");
    e.put("message", message);
    e.put("type", "job_pending");
    e.put("level", null);
    return e;
  }

}
