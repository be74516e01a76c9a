package dev.groundwork.models.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.groundwork.core.model.ChatMessage;
import dev.groundwork.core.model.ChatModel;
import dev.groundwork.core.model.ChatRequest;
import dev.groundwork.core.model.ChatResponse;
import dev.groundwork.core.model.ModelException.Kind;
import dev.groundwork.core.model.ModelException;
import dev.groundwork.core.model.TokenUsage;
import dev.groundwork.core.model.ToolCall;
import dev.groundwork.core.model.ToolSpec;
import dev.groundwork.http.Http1Client;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * The OpenAI Chat Completions API ({@code POST {base}/chat/completions}) spoken directly: JSON built
 * and read with Jackson's tree model, sent with {@link Http1Client} on the caller's thread, streams
 * read as server-sent events on the caller's thread too. Nothing is mapped through an intermediate
 * object model and no thread is handed work, which is what keeps the gateway's added latency low.
 *
 * <p>Failures are {@link ModelException}s: HTTP errors typed by {@link OpenAiErrors}, read timeouts
 * and a whole call running past its limit {@code TIMEOUT}, connection failures and a stream cut off
 * {@code UNAVAILABLE}, bodies that are not the API's JSON or a stream that ends without a finish
 * reason {@code MALFORMED_RESPONSE}. When the server reports no usage, tokens are counted locally and
 * marked estimated. Thread-safe.
 */
final class OpenAiChat implements ChatModel {
  private static final ObjectMapper JSON = OpenAiHttp.JSON;

  private final String name;
  private final String wireModel;
  private final OpenAiHttp http;
  private final ToIntFunction<String> tokens;
  private final int contextWindow;
  private final Duration timeout;
  private final boolean exact;

  /** @param exact true when {@code tokens} is the model's own tokenizer (OpenAI's models at OpenAI), false for an estimate */
  OpenAiChat(String wireModel, String baseUrl, String apiKey, Duration connectTimeout, Duration timeout, ToIntFunction<String> tokens, boolean exact,
      int contextWindow, java.util.Map<String, String> env) {
    this("openai", wireModel, baseUrl, apiKey, connectTimeout, timeout, tokens, exact, contextWindow, env);
  }

  /** @param prefix the provider's name prefix ({@code openai}, or a service that speaks the same API) */
  OpenAiChat(String prefix, String wireModel, String baseUrl, String apiKey, Duration connectTimeout, Duration timeout, ToIntFunction<String> tokens,
      boolean exact, int contextWindow, java.util.Map<String, String> env) {
    this.name = prefix + ":" + wireModel;
    this.wireModel = Objects.requireNonNull(wireModel);
    this.http = new OpenAiHttp(name, baseUrl, apiKey, connectTimeout, timeout, env);
    this.tokens = tokens;
    this.contextWindow = contextWindow;
    this.timeout = Objects.requireNonNull(timeout);
    this.exact = exact;
  }

  @Override
  public boolean countsExactly() {
    return exact;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int countTokens(String text) {
    return tokens.applyAsInt(text);
  }

  @Override
  public int contextWindow() {
    return contextWindow;
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    byte[] body = body(request, false);
    try (Http1Client.Response r = http.post("/chat/completions", body)) {
      String text = r.bodyText();
      JsonNode reply = http.parse(text);
      JsonNode choice = reply.path("choices").path(0);
      if (!choice.isObject()) throw http.malformed("the reply has no choices: " + OpenAiHttp.abbreviate(text), null);
      JsonNode msg = choice.path("message");
      List<ToolCall> calls = new ArrayList<>();
      for (JsonNode c : msg.path("tool_calls")) {
        calls.add(new ToolCall(c.path("id").asText(), c.path("function").path("name").asText(), c.path("function").path("arguments").asText("{}")));
      }
      String content = msg.path("content").isTextual() ? msg.path("content").asText() : "";
      Logprobs lp = new Logprobs();
      lp.add(choice);
      return response(request, content, calls, reply.path("usage"), reply.path("model").asText(null), choice.path("finish_reason").asText(null))
          .withMeanLogprob(lp.mean());
    } catch (IOException e) {
      throw http.io(e);
    }
  }

  @Override
  public ChatResponse stream(ChatRequest request, Consumer<String> onToken) {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] body = body(request, true);
    try (Http1Client.Response r = http.post("/chat/completions", body)) {
      Lines in = new Lines(r.body());
      StringBuilder text = new StringBuilder();
      TreeMap<Integer, String[]> calls = new TreeMap<>(); // index -> id, name, arguments
      JsonNode usage = null;
      String model = null;
      String finish = null;
      StringBuilder data = new StringBuilder();
      Logprobs lp = new Logprobs();
      boolean done = false;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (System.nanoTime() > deadline) throw new ModelException(name, Kind.TIMEOUT, "no complete reply within " + timeout.toMillis() + " ms");
        if (line.startsWith("data:")) {
          if (!data.isEmpty()) data.append('\n');
          data.append(line, line.length() > 5 && line.charAt(5) == ' ' ? 6 : 5, line.length());
          continue;
        }
        if (!line.isEmpty() || data.isEmpty()) continue; // comments, event names, ids
        String event = data.toString();
        data.setLength(0);
        if (event.equals("[DONE]")) {
          done = true;
          // read on to the end of the body (the server ends it right away), so the connection is reused
          while (in.readLine() != null) {
            if (System.nanoTime() > deadline) break;
          }
          break;
        }
        JsonNode chunk = http.parse(event);
        if (chunk.has("error")) throw streamError(chunk);
        if (chunk.hasNonNull("model")) model = chunk.get("model").asText();
        if (chunk.path("usage").isObject()) usage = chunk.get("usage");
        JsonNode choice = chunk.path("choices").path(0);
        if (choice.isMissingNode()) continue;
        lp.add(choice);
        JsonNode delta = choice.path("delta");
        String piece = delta.path("content").isTextual() ? delta.get("content").asText() : "";
        if (!piece.isEmpty()) {
          text.append(piece);
          onToken.accept(piece);
        }
        for (JsonNode c : delta.path("tool_calls")) {
          String[] call = calls.computeIfAbsent(c.path("index").asInt(calls.size()), i -> new String[] {"", "", ""});
          if (c.hasNonNull("id")) call[0] = c.get("id").asText();
          JsonNode fn = c.path("function");
          if (fn.hasNonNull("name")) call[1] += fn.get("name").asText();
          if (fn.hasNonNull("arguments")) call[2] += fn.get("arguments").asText();
        }
        if (choice.hasNonNull("finish_reason")) finish = choice.get("finish_reason").asText();
      }
      if (finish == null) {
        throw http.malformed(done ? "the stream ended without a finish reason" : "the stream ended before the model finished", null);
      }
      List<ToolCall> toolCalls = new ArrayList<>();
      for (String[] c : calls.values()) toolCalls.add(new ToolCall(c[0], c[1], c[2].isEmpty() ? "{}" : c[2]));
      return response(request, text.toString(), toolCalls, usage, model, finish).withMeanLogprob(lp.mean());
    } catch (IOException e) {
      throw http.io(e);
    }
  }

  /** The token log-probabilities of a reply ({@code choices[0].logprobs.content[].logprob}), summed over its chunks. */
  private static final class Logprobs {
    double sum;
    int n;

    void add(JsonNode choice) {
      for (JsonNode t : choice.path("logprobs").path("content")) {
        if (t.path("logprob").isNumber()) {
          sum += t.get("logprob").asDouble();
          n++;
        }
      }
    }

    /** The mean, or null when the provider returned none. */
    Double mean() {
      return n == 0 ? null : sum / n;
    }
  }

  private byte[] body(ChatRequest r, boolean stream) {
    ObjectNode b = JSON.createObjectNode();
    b.put("model", wireModel);
    ArrayNode msgs = b.putArray("messages");
    for (ChatMessage m : r.messages()) {
      ObjectNode o = msgs.addObject();
      switch (m.role()) {
        case SYSTEM -> o.put("role", "system").put("content", m.content());
        case USER -> o.put("role", "user").put("content", m.content());
        case ASSISTANT -> {
          o.put("role", "assistant");
          if (m.toolCalls().isEmpty() || !m.content().isEmpty()) o.put("content", m.content());
          else o.putNull("content");
          if (!m.toolCalls().isEmpty()) {
            ArrayNode calls = o.putArray("tool_calls");
            for (ToolCall c : m.toolCalls()) {
              ObjectNode call = calls.addObject().put("id", c.id()).put("type", "function");
              call.putObject("function").put("name", c.name()).put("arguments", c.argumentsJson());
            }
          }
        }
        case TOOL -> o.put("role", "tool").put("tool_call_id", m.toolCallId()).put("content", m.content());
      }
    }
    if (r.temperature() != null) b.put("temperature", r.temperature());
    if (r.maxTokens() != null) b.put("max_tokens", r.maxTokens());
    if (r.seed() != null) b.put("seed", r.seed());
    if (r.logprobs()) b.put("logprobs", true);
    if (!r.tools().isEmpty()) {
      ArrayNode tools = b.putArray("tools");
      for (ToolSpec t : r.tools()) {
        ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
        fn.put("name", t.name());
        if (t.description() != null && !t.description().isEmpty()) fn.put("description", t.description());
        fn.set("parameters", t.parametersSchema() == null ? JSON.createObjectNode().put("type", "object") : schema(t.name(), t.parametersSchema()));
      }
    }
    if (r.responseSchema() != null) {
      ObjectNode js = b.putObject("response_format").put("type", "json_schema").putObject("json_schema");
      js.put("name", "answer");
      js.set("schema", schema("response", r.responseSchema()));
    }
    if (stream) {
      b.put("stream", true);
      b.putObject("stream_options").put("include_usage", true);
    }
    try {
      return JSON.writeValueAsBytes(b);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode schema(String what, String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(what + ": the JSON schema is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private ChatResponse response(ChatRequest request, String text, List<ToolCall> calls, JsonNode usage, String model, String finish) {
    TokenUsage u = null;
    if (usage != null && usage.isObject() && (usage.path("prompt_tokens").asLong() > 0 || usage.path("completion_tokens").asLong() > 0)) {
      long in = usage.path("prompt_tokens").asLong();
      long cached = Math.min(in, usage.path("prompt_tokens_details").path("cached_tokens").asLong(0));
      u = new TokenUsage(in, cached, usage.path("completion_tokens").asLong(), false);
    }
    if (u == null) u = TokenUsage.estimate(request, text, tokens);
    return new ChatResponse(text, calls, u, model == null || model.isEmpty() ? name : model, finish);
  }

  private ModelException streamError(JsonNode chunk) {
    JsonNode err = chunk.get("error");
    int status = err.path("code").isInt() ? err.get("code").asInt() : 500;
    return new ModelException(name, OpenAiErrors.kind(status, chunk.toString()), "error in the stream: " + OpenAiHttp.abbreviate(err.path("message").asText(err.toString())));
  }

  /**
   * UTF-8 lines of an event stream, read from the body in blocks into one small growing buffer: a
   * Reader would allocate 24 KB of buffers per stream, and reading byte by byte costs a call per byte.
   */
  private static final class Lines {
    private static final int MAX = 16 * 1024 * 1024;
    private final java.io.InputStream in;
    private byte[] buf = new byte[1024];
    private int start; // unread bytes are buf[start..end)
    private int end;

    Lines(java.io.InputStream in) {
      this.in = in;
    }

    /** The next line without its CR LF, or null at the end. */
    String readLine() throws IOException {
      int scan = start;
      while (true) {
        for (int i = scan; i < end; i++) {
          if (buf[i] == '\n') {
            int stop = i > start && buf[i - 1] == '\r' ? i - 1 : i;
            String line = new String(buf, start, stop - start, StandardCharsets.UTF_8);
            start = i + 1;
            return line;
          }
        }
        if (start > 0) { // keep the partial line, drop what was returned
          System.arraycopy(buf, start, buf, 0, end - start);
          end -= start;
          start = 0;
        }
        scan = end;
        if (end == buf.length) {
          if (buf.length >= MAX) throw new IOException("an event-stream line is longer than 16 MB");
          buf = java.util.Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
          if (end == start) return null;
          String last = new String(buf, start, end - start, StandardCharsets.UTF_8);
          start = end;
          return last;
        }
        end += n;
      }
    }
  }
}
