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
 * OpenAI's fine-tuning API over a real socket, as documented: {@code POST /v1/files} (multipart,
 * {@code purpose=fine-tune}), {@code POST /v1/fine_tuning/jobs}, {@code GET /v1/fine_tuning/jobs[/ID]},
 * {@code GET .../ID/events}, {@code POST .../ID/cancel}, with errors in OpenAI's shape. A job moves
 * one state each time it is read: {@code validating_files}, {@code queued}, {@code running}, then
 * {@code succeeded} with its {@code fine_tuned_model} (or {@code failed} with an error, when
 * scripted). The first {@link #rateLimitFirst} requests get 429 with {@code Retry-After}. It also
 * answers {@code POST /v1/chat/completions} (not streamed) as the tuned models would, so a whole
 * tune-then-serve run can point one base URL at it: by {@link #chat}, which by default quotes the first
 * line of source [1] and cites it, as the chat stand-in does.
 */
public final class FakeFineTuningServer extends FakeTuningServer {
  static final List<String> STATES = List.of("validating_files", "queued", "running", "succeeded");

  /** The reply text for a chat request (its JSON body); the default quotes source [1]'s first line. */
  public volatile java.util.function.Function<JsonNode, String> chat = FakeFineTuningServer::quoteFirstSource;

  private static final Pattern FIRST_SOURCE_LINE = Pattern.compile("\\[1] [^\\n]*\\n\\| ([^\\n]{1,200})");

  static String quoteFirstSource(JsonNode body) {
    StringBuilder all = new StringBuilder();
    for (JsonNode m : body.path("messages")) all.append(m.path("content").asText()).append('\n');
    Matcher m = FIRST_SOURCE_LINE.matcher(all);
    return m.find() ? "According to the sources, " + m.group(1).strip() + " [1]" : "The documents do not contain an answer to this question.";
  }

  /** How many requests, from the start, get 429 first. */
  public volatile int rateLimitFirst;

  private static final Pattern JOB = Pattern.compile("/v1/fine_tuning/jobs/([^/?]+)(/events|/cancel)?(\\?.*)?");

  @Override
  void handle(RawHttpServer.Request req, RawHttpServer.Response res) throws IOException {
    requests.add(req.method() + " " + req.path());
    if (requests.size() <= rateLimitFirst) {
      res.header("Retry-After", "1");
      error(res, 429, "rate_limit_exceeded", "Rate limit reached for requests");
      return;
    }
    if (req.header("authorization") == null || !req.header("authorization").startsWith("Bearer ")) {
      error(res, 401, "invalid_api_key", "You didn't provide an API key.");
      return;
    }
    String path = req.path();
    if (req.method().equals("POST") && path.equals("/v1/chat/completions")) {
      JsonNode body = JSON.readTree(req.bodyText());
      String text = chat.apply(body);
      Map<String, Object> msg = new LinkedHashMap<>();
      msg.put("role", "assistant");
      msg.put("content", text);
      Map<String, Object> choice = new LinkedHashMap<>();
      choice.put("index", 0);
      choice.put("message", msg);
      choice.put("finish_reason", "stop");
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("id", "chatcmpl-" + requests.size());
      out.put("object", "chat.completion");
      out.put("created", 1764700000);
      out.put("model", body.path("model").asText());
      out.put("choices", List.of(choice));
      out.put("usage", Map.of("prompt_tokens", Math.max(1, req.bodyText().length() / 4), "completion_tokens", Math.max(1, text.length() / 4),
          "total_tokens", Math.max(1, req.bodyText().length() / 4) + Math.max(1, text.length() / 4)));
      json(res, 200, out);
      return;
    }
    if (req.method().equals("POST") && path.equals("/v1/files")) {
      upload(req, res);
    } else if (req.method().equals("POST") && path.equals("/v1/fine_tuning/jobs")) {
      create(req, res);
    } else if (req.method().equals("GET") && path.startsWith("/v1/fine_tuning/jobs") && !JOB.matcher(path).matches()) {
      List<Object> data = new ArrayList<>(jobs.values());
      json(res, 200, Map.of("object", "list", "data", data, "has_more", false));
    } else {
      Matcher m = JOB.matcher(path);
      if (!m.matches()) {
        error(res, 404, "not_found", "Unknown request URL: " + req.method() + " " + path);
        return;
      }
      Map<String, Object> job = jobs.get(m.group(1));
      if (job == null) {
        error(res, 404, "fine_tune_not_found", "Could not find fine-tune job " + m.group(1) + ".");
        return;
      }
      if ("/cancel".equals(m.group(2)) && req.method().equals("POST")) {
        if (List.of("succeeded", "failed").contains(job.get("status"))) {
          error(res, 400, "invalid_request_error", "Job has already completed");
          return;
        }
        job.put("status", "cancelled");
        json(res, 200, job);
      } else if ("/events".equals(m.group(2))) {
        List<Map<String, Object>> ev = new ArrayList<>();
        ev.add(event(m.group(1), "Job is " + job.get("status")));
        json(res, 200, Map.of("object", "list", "data", ev, "has_more", false));
      } else {
        advance(m.group(1), job);
        json(res, 200, job);
      }
    }
  }

  private void upload(RawHttpServer.Request req, RawHttpServer.Response res) throws IOException {
    Map<String, String> fields = new LinkedHashMap<>();
    byte[] content = RawMultipart.parse(req, fields);
    String purpose = fields.get("purpose"), filename = fields.get("filename");
    if (!"fine-tune".equals(purpose) || content == null) {
      error(res, 400, "invalid_request_error", "purpose must be fine-tune and a file must be attached (multipart/form-data)");
      return;
    }
    for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) continue;
      JsonNode n = JSON.readTree(line);
      boolean chat = n.path("messages").isArray();
      boolean preference = n.path("input").path("messages").isArray() && n.path("preferred_output").isArray() && n.path("non_preferred_output").isArray();
      if (!chat && !preference) {
        error(res, 400, "invalid_file_format", "Invalid file format for Fine-Tuning API. Must be .jsonl");
        return;
      }
    }
    String id = "file-" + ids.incrementAndGet();
    files.put(id, content);
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("object", "file");
    f.put("id", id);
    f.put("purpose", "fine-tune");
    f.put("filename", filename);
    f.put("bytes", content.length);
    f.put("created_at", 1_764_720_000);
    f.put("status", "processed");
    json(res, 200, f);
  }

  private void create(RawHttpServer.Request req, RawHttpServer.Response res) throws IOException {
    JsonNode b = JSON.readTree(req.body());
    String training = b.path("training_file").asText(null);
    if (b.path("model").asText("").isEmpty() || training == null || !files.containsKey(training)) {
      error(res, 400, "invalid_request_error", "training_file " + training + " does not exist");
      return;
    }
    String id = "ftjob-" + ids.incrementAndGet();
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("object", "fine_tuning.job");
    job.put("id", id);
    job.put("model", b.get("model").asText());
    job.put("created_at", 1_764_720_000);
    job.put("finished_at", null);
    job.put("fine_tuned_model", null);
    job.put("organization_id", "org-fake");
    job.put("result_files", List.of());
    job.put("status", "validating_files");
    job.put("validation_file", b.path("validation_file").asText(null));
    job.put("training_file", training);
    job.put("method", JSON.convertValue(b.path("method"), Map.class));
    job.put("trained_tokens", null);
    job.put("error", null);
    job.put("suffix", b.path("suffix").asText(null));
    job.put("seed", b.path("seed").asLong(0));
    jobs.put(id, job);
    step.put(id, 0);
    json(res, 200, job);
  }

  private void advance(String id, Map<String, Object> job) {
    if (List.of("succeeded", "failed", "cancelled").contains(job.get("status"))) return;
    int s = step.merge(id, 1, Integer::sum);
    if (failJobs && s >= 2) {
      job.put("status", "failed");
      job.put("error", Map.of("code", "invalid_training_file", "message", "The job failed due to an invalid training file.", "param", "training_file"));
      return;
    }
    job.put("status", STATES.get(Math.min(s, STATES.size() - 1)));
    if (job.get("status").equals("succeeded")) {
      job.put("fine_tuned_model", "ft:" + job.get("model") + ":groundwork:" + (job.get("suffix") == null ? "" : job.get("suffix")) + ":" + id.substring(6));
      job.put("trained_tokens", files.get(job.get("training_file")).length / 4);
      job.put("finished_at", 1_764_723_600);
    }
  }

  private static Map<String, Object> event(String job, String message) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("object", "fine_tuning.job.event");
    e.put("id", "ftevent-" + job);
    e.put("created_at", 1_764_720_100);
    e.put("level", "info");
    e.put("message", message);
    e.put("data", Map.of());
    e.put("type", "message");
    return e;
  }

  private static void error(RawHttpServer.Response res, int status, String code, String message) throws IOException {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("message", message);
    e.put("type", status == 429 ? "requests" : "invalid_request_error");
    e.put("param", null);
    e.put("code", code);
    json(res, status, Map.of("error", e));
  }

  private static void json(RawHttpServer.Response res, int status, Object body) throws IOException {
    res.send(status, "application/json", JSON.writeValueAsString(body));
  }

}
