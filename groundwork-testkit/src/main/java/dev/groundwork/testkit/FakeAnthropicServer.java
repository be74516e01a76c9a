package dev.groundwork.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An Anthropic Messages API server: {@code POST /v1/messages} answers with a message object, or with
 * the named event stream ({@code message_start}, {@code content_block_delta}, {@code message_delta}
 * with the output usage, {@code message_stop}) when the request sets {@code stream}. Errors use
 * Anthropic's {@code {"type": "error", "error": {"type", "message"}}} shape.
 */
public final class FakeAnthropicServer extends FakeLlmServer {
  @Override
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1/";
  }

  private static Map<String, Object> usage(int in, int cached, int out) {
    Map<String, Object> u = new LinkedHashMap<>();
    u.put("input_tokens", in - cached);
    u.put("cache_creation_input_tokens", 0);
    u.put("cache_read_input_tokens", cached);
    u.put("output_tokens", out);
    return u;
  }

  private static Map<String, Object> message(String model, List<Map<String, Object>> content, String stop, Map<String, Object> usage) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", "msg_fake");
    m.put("type", "message");
    m.put("role", "assistant");
    m.put("model", model);
    m.put("content", content);
    m.put("stop_reason", stop);
    m.put("stop_sequence", null);
    m.put("usage", usage);
    return m;
  }

  private static String event(String name, Map<String, Object> data) {
    return "event: " + name + "\ndata: " + json(data);
  }

  private static List<String> events(String model, List<String> pieces, int in, int out, boolean finish) {
    List<String> ev = new ArrayList<>();
    ev.add(event("message_start", Map.of("type", "message_start", "message", message(model, List.of(), null, usage(in, 0, 1)))));
    ev.add(event("content_block_start", Map.of("type", "content_block_start", "index", 0, "content_block", Map.of("type", "text", "text", ""))));
    ev.add(event("ping", Map.of("type", "ping")));
    for (String p : pieces) {
      ev.add(event("content_block_delta", Map.of("type", "content_block_delta", "index", 0, "delta", Map.of("type", "text_delta", "text", p))));
    }
    if (!finish) return ev;
    ev.add(event("content_block_stop", Map.of("type", "content_block_stop", "index", 0)));
    Map<String, Object> delta = new LinkedHashMap<>();
    delta.put("stop_reason", "end_turn");
    delta.put("stop_sequence", null);
    ev.add(event("message_delta", Map.of("type", "message_delta", "delta", delta, "usage", Map.of("output_tokens", out))));
    ev.add(event("message_stop", Map.of("type", "message_stop")));
    return ev;
  }

  private static boolean streaming(Recorded r) {
    return r.json().path("stream").asBoolean(false);
  }

  @Override
  public Reply text(String text, int in, int cached, int out) {
    return (ex, req) -> {
      String model = req.json().path("model").asText();
      if (streaming(req)) sse(ex, events(model, FakeOpenAiServer.split(text), in, out, true), false);
      else respond(ex, 200, "application/json", json(message(model, List.of(Map.of("type", "text", "text", text)), "end_turn", usage(in, cached, out))));
    };
  }

  /** Anthropic always reports usage in a stream; {@code withUsage} false sends zeros, as some proxies do. */
  @Override
  public Reply stream(List<String> pieces, int in, int out, boolean withUsage) {
    return (ex, req) -> sse(ex, events(req.json().path("model").asText(), pieces, withUsage ? in : 0, withUsage ? out : 0, true), false);
  }

  @Override
  public Reply cutStream(List<String> pieces) {
    return (ex, req) -> sse(ex, events(req.json().path("model").asText(), pieces, 10, 0, false), true);
  }

  /**
   * A tool call; streamed as Anthropic streams one when the request asks for a stream: a
   * {@code tool_use} content block whose input arrives as {@code input_json_delta} pieces, then
   * {@code stop_reason: tool_use}.
   */
  @Override
  public Reply toolCall(String id, String name, String argumentsJson) {
    return (ex, req) -> {
      if (streaming(req)) {
        String model = req.json().path("model").asText();
        List<String> ev = new ArrayList<>();
        ev.add(event("message_start", Map.of("type", "message_start", "message", message(model, List.of(), null, usage(50, 0, 1)))));
        ev.add(event("content_block_start", Map.of("type", "content_block_start", "index", 0,
            "content_block", Map.of("type", "tool_use", "id", id, "name", name, "input", Map.of()))));
        int half = argumentsJson.length() / 2;
        for (String part : new String[] {argumentsJson.substring(0, half), argumentsJson.substring(half)}) {
          ev.add(event("content_block_delta", Map.of("type", "content_block_delta", "index", 0,
              "delta", Map.of("type", "input_json_delta", "partial_json", part))));
        }
        ev.add(event("content_block_stop", Map.of("type", "content_block_stop", "index", 0)));
        Map<String, Object> delta = new LinkedHashMap<>();
        delta.put("stop_reason", "tool_use");
        delta.put("stop_sequence", null);
        ev.add(event("message_delta", Map.of("type", "message_delta", "delta", delta, "usage", Map.of("output_tokens", 10))));
        ev.add(event("message_stop", Map.of("type", "message_stop")));
        sse(ex, ev, false);
        return;
      }
      Map<String, Object> use = new LinkedHashMap<>();
      use.put("type", "tool_use");
      use.put("id", id);
      use.put("name", name);
      use.put("input", JSON.readTree(argumentsJson));
      respond(ex, 200, "application/json", json(message(req.json().path("model").asText(), List.of(use), "tool_use", usage(50, 0, 10))));
    };
  }

  @Override
  public Reply error(int status, String kind, String message) {
    return (ex, req) -> respond(ex, status, "application/json",
        json(Map.of("type", "error", "error", Map.of("type", kind, "message", message))));
  }

  @Override
  public Reply rateLimited(int retryAfterSeconds) {
    Reply body = error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit");
    return (ex, req) -> {
      ex.header("retry-after", String.valueOf(retryAfterSeconds));
      body.send(ex, req);
    };
  }

  @Override
  public Reply contextTooLong() {
    return error(400, "invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum");
  }

  /** 529: Anthropic's API is temporarily overloaded. */
  public Reply overloaded() {
    return error(529, "overloaded_error", "Overloaded");
  }
}
