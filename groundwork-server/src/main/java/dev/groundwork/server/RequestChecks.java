package dev.groundwork.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Set;

/**
 * Strict checks of request bodies against OpenAI's chat-completions schema (types, ranges, allowed
 * values) and of Groundwork's own {@code /api} bodies. A violation is a 400 whose error names the
 * parameter in {@code param}, as OpenAI does; nothing is coerced ({@code "stream": "yes"} is not
 * true, {@code "max_tokens": 1e12} is not a whole number).
 */
final class RequestChecks {
  private RequestChecks() {}

  /** The top-level fields OpenAI documents for chat completions (and that an unchanged client may send), plus {@code groundwork}. */
  private static final Set<String> CHAT_FIELDS = Set.of("model", "messages", "stream", "stream_options", "temperature", "top_p", "max_tokens",
      "max_completion_tokens", "n", "presence_penalty", "frequency_penalty", "seed", "stop", "user", "tools", "tool_choice",
      "parallel_tool_calls", "response_format", "logprobs", "top_logprobs", "logit_bias", "store", "metadata", "service_tier",
      "reasoning_effort", "modalities", "prediction", "audio", "web_search_options", "safety_identifier", "prompt_cache_key", "verbosity",
      "functions", "function_call", "groundwork");
  private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
  private static final Set<String> GROUNDWORK_FIELDS = Set.of("k", "retrieve");
  /** The largest max_tokens accepted: above any model's output limit, below anything that overflows. */
  static final long MAX_TOKENS = 1_000_000;

  static void chat(JsonNode body) {
    for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
      String f = it.next();
      if (!CHAT_FIELDS.contains(f)) throw bad(f, "Unrecognized request argument supplied: " + f);
    }
    JsonNode msgs = body.path("messages");
    if (!msgs.isArray() || msgs.isEmpty()) throw bad("messages", "'messages' must be a non-empty array");
    for (int i = 0; i < msgs.size(); i++) message(msgs.get(i), "messages[" + i + "]");
    optional(body, "model", JsonNode::isTextual, "a string");
    optional(body, "stream", JsonNode::isBoolean, "a boolean (true or false)");
    if (body.has("stream_options") && !body.get("stream_options").isNull()) {
      JsonNode so = body.get("stream_options");
      if (!so.isObject()) throw bad("stream_options", "'stream_options' must be an object");
      optional(so, "include_usage", JsonNode::isBoolean, "a boolean", "stream_options.include_usage");
    }
    range(body, "temperature", 0, 2);
    range(body, "top_p", 0, 1);
    range(body, "presence_penalty", -2, 2);
    range(body, "frequency_penalty", -2, 2);
    whole(body, "max_tokens", 1, MAX_TOKENS, "max_tokens");
    whole(body, "max_completion_tokens", 1, MAX_TOKENS, "max_completion_tokens");
    whole(body, "n", 1, 1, "n");
    whole(body, "seed", Long.MIN_VALUE, Long.MAX_VALUE, "seed");
    whole(body, "top_logprobs", 0, 20, "top_logprobs");
    optional(body, "logprobs", JsonNode::isBoolean, "a boolean");
    optional(body, "user", JsonNode::isTextual, "a string");
    optional(body, "tools", JsonNode::isArray, "an array");
    optional(body, "response_format", JsonNode::isObject, "an object");
    optional(body, "tool_choice", n -> n.isTextual() || n.isObject(), "a string or an object");
    JsonNode stop = body.path("stop");
    if (!stop.isMissingNode() && !stop.isNull()) {
      boolean ok = stop.isTextual() || stop.isArray() && stop.size() <= 4 && allText(stop);
      if (!ok) throw bad("stop", "'stop' must be a string or an array of up to 4 strings");
    }
    JsonNode gw = body.path("groundwork");
    if (!gw.isMissingNode() && !gw.isNull()) {
      if (!gw.isObject()) throw bad("groundwork", "'groundwork' must be an object like {\"k\": 8, \"retrieve\": true}");
      for (Iterator<String> it = gw.fieldNames(); it.hasNext();) {
        String f = it.next();
        if (!GROUNDWORK_FIELDS.contains(f)) throw bad("groundwork." + f, "unknown field groundwork." + f + "; accepted: k, retrieve");
      }
      optional(gw, "retrieve", JsonNode::isBoolean, "a boolean", "groundwork.retrieve");
      whole(gw, "k", Long.MIN_VALUE, Long.MAX_VALUE, "groundwork.k"); // the range is checked where k is read
    }
  }

  /** {@code /api/ask}: question, model and k, with the right types. */
  static void ask(JsonNode body) {
    for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
      String f = it.next();
      if (!Set.of("question", "model", "k").contains(f)) throw bad(f, "unknown field '" + f + "'; accepted: question, model, k");
    }
    if (!body.path("question").isTextual()) throw bad("question", "'question' is required and must be a string");
    optional(body, "model", JsonNode::isTextual, "a string");
    whole(body, "k", Long.MIN_VALUE, Long.MAX_VALUE, "k");
  }

  private static void message(JsonNode m, String where) {
    if (!m.isObject()) throw bad(where, where + " must be an object with 'role' and 'content'");
    JsonNode role = m.path("role");
    if (!role.isTextual() || !ROLES.contains(role.asText())) {
      throw bad(where + ".role", where + ".role must be one of system, developer, user, assistant, tool; got " + role);
    }
    JsonNode c = m.path("content");
    boolean ok = c.isTextual() || c.isArray() || (c.isNull() || c.isMissingNode()) && "assistant".equals(role.asText());
    if (!ok) throw bad(where + ".content", where + ".content must be a string or an array of content parts");
    if (c.isArray()) {
      for (int i = 0; i < c.size(); i++) {
        JsonNode part = c.get(i);
        if (!part.isObject() || !part.path("type").isTextual()) throw bad(where + ".content[" + i + "]", where + ".content[" + i + "] must be an object with a 'type'");
        if ("text".equals(part.path("type").asText()) && !part.path("text").isTextual()) {
          throw bad(where + ".content[" + i + "].text", where + ".content[" + i + "].text must be a string");
        }
      }
    }
  }

  private static boolean allText(JsonNode array) {
    for (JsonNode n : array) if (!n.isTextual()) return false;
    return true;
  }

  private static void optional(JsonNode body, String field, java.util.function.Predicate<JsonNode> ok, String what) {
    optional(body, field, ok, what, field);
  }

  private static void optional(JsonNode body, String field, java.util.function.Predicate<JsonNode> ok, String what, String name) {
    JsonNode n = body.get(field);
    if (n != null && !n.isNull() && !ok.test(n)) throw bad(name, "'" + name + "' must be " + what + ", got " + n);
  }

  private static void range(JsonNode body, String field, double min, double max) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) return;
    if (!n.isNumber() || !(n.asDouble() >= min && n.asDouble() <= max)) {
      throw bad(field, "'" + field + "' must be a number in " + fmt(min) + ".." + fmt(max) + ", got " + n);
    }
  }

  private static void whole(JsonNode body, String field, long min, long max, String name) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) return;
    if (!n.isIntegralNumber() || !n.canConvertToLong()) throw bad(name, "'" + name + "' must be a whole number, got " + n);
    long v = n.asLong();
    if (v < min || v > max) throw bad(name, "'" + name + "' must be in " + min + ".." + max + ", got " + n);
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  private static Http.BadRequest bad(String param, String message) {
    return new Http.BadRequest(message, param);
  }
}
