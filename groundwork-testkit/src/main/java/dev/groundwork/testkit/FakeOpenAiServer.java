package dev.groundwork.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OpenAI-compatible server: {@code POST /v1/chat/completions} (JSON, or SSE chunks ending in
 * {@code data: [DONE]} with a usage chunk when {@code stream_options.include_usage} is set),
 * {@code POST /v1/embeddings} (deterministic vectors from the text's hash) and {@code GET /v1/models}.
 * Errors use OpenAI's {@code {"error": {"message", "type", "param", "code"}}} shape.
 */
public final class FakeOpenAiServer extends FakeLlmServer {
  /** Dimension of the fake embeddings. */
  public static final int EMBEDDING_DIMENSION = 8;

  @Override
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  @Override
  protected Reply route(Recorded r) {
    if (r.path().endsWith("/models") && r.method().equals("GET")) {
      return (ex, req) -> respond(ex, 200, "application/json", json(Map.of("object", "list", "data",
          List.of(Map.of("id", "gpt-4.1-mini", "object", "model", "created", 1_700_000_000, "owned_by", "fake")))));
    }
    if (r.path().endsWith("/embeddings")) return embeddings();
    return null;
  }

  private static Reply embeddings() {
    return (ex, req) -> {
      var input = req.json().get("input");
      List<String> texts = new ArrayList<>();
      if (input.isArray()) input.forEach(n -> texts.add(n.asText()));
      else texts.add(input.asText());
      List<Map<String, Object>> data = new ArrayList<>();
      int tokens = 0;
      for (int i = 0; i < texts.size(); i++) {
        data.add(Map.of("object", "embedding", "index", i, "embedding", vector(texts.get(i))));
        tokens += Math.max(1, texts.get(i).split("\\s+").length);
      }
      respond(ex, 200, "application/json", json(Map.of("object", "list", "data", data, "model", req.json().path("model").asText(),
          "usage", Map.of("prompt_tokens", tokens, "total_tokens", tokens))));
    };
  }

  /** A unit vector that depends only on the text. */
  public static float[] vector(String text) {
    float[] v = new float[EMBEDDING_DIMENSION];
    java.util.Random r = new java.util.Random(text.hashCode());
    double n = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
      n += v[i] * v[i];
    }
    for (int i = 0; i < v.length; i++) v[i] /= (float) Math.sqrt(n);
    return v;
  }

  private static Map<String, Object> usage(int in, int cached, int out) {
    Map<String, Object> u = new LinkedHashMap<>();
    u.put("prompt_tokens", in);
    u.put("completion_tokens", out);
    u.put("total_tokens", in + out);
    u.put("prompt_tokens_details", Map.of("cached_tokens", cached));
    u.put("completion_tokens_details", Map.of("reasoning_tokens", 0));
    return u;
  }

  private static Map<String, Object> completion(String model, Map<String, Object> message, String finish, Map<String, Object> usage) {
    return completion(model, message, finish, usage, null);
  }

  private static Map<String, Object> completion(String model, Map<String, Object> message, String finish, Map<String, Object> usage, Object logprobs) {
    Map<String, Object> choice = new LinkedHashMap<>();
    choice.put("index", 0);
    choice.put("message", message);
    choice.put("logprobs", logprobs);
    choice.put("finish_reason", finish);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", "chatcmpl-fake");
    m.put("object", "chat.completion");
    m.put("created", 1_700_000_000);
    m.put("model", model);
    m.put("choices", List.of(choice));
    m.put("usage", usage);
    m.put("system_fingerprint", "fp_fake");
    return m;
  }

  private static String chunk(String model, Map<String, Object> delta, String finish) {
    return chunk(model, delta, finish, null);
  }

  private static String chunk(String model, Map<String, Object> delta, String finish, Object logprobs) {
    Map<String, Object> choice = new LinkedHashMap<>();
    choice.put("index", 0);
    choice.put("delta", delta);
    choice.put("logprobs", logprobs);
    choice.put("finish_reason", finish);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", "chatcmpl-fake");
    m.put("object", "chat.completion.chunk");
    m.put("created", 1_700_000_000);
    m.put("model", model);
    m.put("choices", List.of(choice));
    return "data: " + json(m);
  }

  private static List<String> events(String model, List<String> pieces, boolean usageChunk, int in, int out) {
    List<String> ev = new ArrayList<>();
    ev.add(chunk(model, Map.of("role", "assistant", "content", ""), null));
    for (String p : pieces) ev.add(chunk(model, Map.of("content", p), null));
    ev.add(chunk(model, Map.of(), "stop"));
    if (usageChunk) ev.add(usageChunk(model, in, out));
    ev.add("data: [DONE]");
    return ev;
  }

  /** The last chunk of a stream whose request asked for {@code stream_options.include_usage}: no choices, the usage. */
  private static String usageChunk(String model, int in, int out) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", "chatcmpl-fake");
    m.put("object", "chat.completion.chunk");
    m.put("created", 1_700_000_000);
    m.put("model", model);
    m.put("choices", List.of());
    m.put("usage", usage(in, 0, out));
    return "data: " + json(m);
  }

  private static boolean streaming(Recorded r) {
    return r.json().path("stream").asBoolean(false);
  }

  private static boolean includeUsage(Recorded r) {
    return r.json().path("stream_options").path("include_usage").asBoolean(false);
  }

  @Override
  public Reply text(String text, int in, int cached, int out) {
    return (ex, req) -> {
      String model = req.json().path("model").asText();
      if (streaming(req)) {
        sse(ex, events(model, split(text), includeUsage(req), in, out), false);
      } else {
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("role", "assistant");
        msg.put("content", text);
        msg.put("refusal", null);
        respond(ex, 200, "application/json", json(completion(model, msg, "stop", usage(in, cached, out))));
      }
    };
  }

  /**
   * A complete answer whose every token has log-probability {@code logprob}: when the request asks for
   * {@code logprobs}, the reply carries them as OpenAI documents ({@code choices[0].logprobs.content[]}
   * of {@code {token, logprob, bytes, top_logprobs}}; per chunk when streamed), else none.
   */
  public Reply textWithLogprob(String text, double logprob, int in, int out) {
    return (ex, req) -> {
      String model = req.json().path("model").asText();
      boolean asked = req.json().path("logprobs").asBoolean(false);
      List<String> pieces = split(text);
      if (streaming(req)) {
        List<String> ev = new ArrayList<>();
        ev.add(chunk(model, Map.of("role", "assistant", "content", ""), null));
        for (String p : pieces) ev.add(chunk(model, Map.of("content", p), null, asked ? logprobs(List.of(p), logprob) : null));
        ev.add(chunk(model, Map.of(), "stop"));
        if (includeUsage(req)) ev.add(usageChunk(model, in, out));
        ev.add("data: [DONE]");
        sse(ex, ev, false);
      } else {
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("role", "assistant");
        msg.put("content", text);
        msg.put("refusal", null);
        respond(ex, 200, "application/json", json(completion(model, msg, "stop", usage(in, 0, out), asked ? logprobs(pieces, logprob) : null)));
      }
    };
  }

  private static Map<String, Object> logprobs(List<String> tokens, double logprob) {
    List<Map<String, Object>> content = new ArrayList<>();
    for (String t : tokens) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("token", t);
      c.put("logprob", logprob);
      List<Integer> bytes = new ArrayList<>();
      for (byte b : t.getBytes(java.nio.charset.StandardCharsets.UTF_8)) bytes.add(b & 0xff);
      c.put("bytes", bytes);
      c.put("top_logprobs", List.of());
      content.add(c);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("content", content);
    m.put("refusal", null);
    return m;
  }

  /** Splits text into word-sized pieces, as a model streams it. */
  static List<String> split(String text) {
    List<String> out = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\S+\\s*|\\s+").matcher(text);
    while (m.find()) out.add(m.group());
    return out;
  }

  @Override
  public Reply stream(List<String> pieces, int in, int out, boolean withUsage) {
    return (ex, req) -> sse(ex, events(req.json().path("model").asText(), pieces, withUsage && includeUsage(req), in, out), false);
  }

  /** A streamed answer whose pieces come {@code gapMillis} apart, as a model generates them. */
  public Reply slowStream(List<String> pieces, long gapMillis, int in, int out) {
    return (ex, req) -> sse(ex, events(req.json().path("model").asText(), pieces, includeUsage(req), in, out), false, gapMillis);
  }

  @Override
  public Reply cutStream(List<String> pieces) {
    return (ex, req) -> {
      List<String> ev = new ArrayList<>();
      String model = req.json().path("model").asText();
      ev.add(chunk(model, Map.of("role", "assistant", "content", ""), null));
      for (String p : pieces) ev.add(chunk(model, Map.of("content", p), null));
      sse(ex, ev, true);
    };
  }

  /**
   * A tool call; streamed as OpenAI streams one when the request asks for a stream: the id and name
   * first, then the arguments in pieces, then {@code finish_reason: tool_calls}.
   */
  @Override
  public Reply toolCall(String id, String name, String argumentsJson) {
    return (ex, req) -> {
      if (streaming(req)) {
        String model = req.json().path("model").asText();
        List<String> ev = new ArrayList<>();
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("role", "assistant");
        first.put("content", null);
        first.put("tool_calls", List.of(Map.of("index", 0, "id", id, "type", "function", "function", Map.of("name", name, "arguments", ""))));
        ev.add(chunk(model, first, null));
        int half = argumentsJson.length() / 2;
        for (String part : new String[] {argumentsJson.substring(0, half), argumentsJson.substring(half)}) {
          ev.add(chunk(model, Map.of("tool_calls", List.of(Map.of("index", 0, "function", Map.of("arguments", part)))), null));
        }
        ev.add(chunk(model, Map.of(), "tool_calls"));
        ev.add("data: [DONE]");
        sse(ex, ev, false);
        return;
      }
      Map<String, Object> msg = new LinkedHashMap<>();
      msg.put("role", "assistant");
      msg.put("content", null);
      msg.put("tool_calls", List.of(Map.of("id", id, "type", "function", "function", Map.of("name", name, "arguments", argumentsJson))));
      respond(ex, 200, "application/json", json(completion(req.json().path("model").asText(), msg, "tool_calls", usage(50, 0, 10))));
    };
  }

  @Override
  public Reply error(int status, String kind, String message) {
    return error(status, kind, message, null);
  }

  private static Reply error(int status, String type, String message, String code) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("message", message);
    e.put("type", type);
    e.put("param", null);
    e.put("code", code);
    return (ex, req) -> respond(ex, status, "application/json", json(Map.of("error", e)));
  }

  @Override
  public Reply rateLimited(int retryAfterSeconds) {
    Reply body = error(429, "requests", "Rate limit reached for requests", "rate_limit_exceeded");
    return (ex, req) -> {
      ex.header("Retry-After", String.valueOf(retryAfterSeconds));
      body.send(ex, req);
    };
  }

  @Override
  public Reply contextTooLong() {
    return error(400, "invalid_request_error", "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.",
        "context_length_exceeded");
  }

  /** OpenAI's content-filter refusal of a prompt. */
  public Reply contentFiltered() {
    return error(400, "invalid_request_error", "The response was filtered due to the prompt triggering content management policy.",
        "content_filter");
  }
}
