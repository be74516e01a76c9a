package dev.groundwork.server;

import dev.groundwork.app.Json;
import dev.groundwork.core.Answer;
import dev.groundwork.core.ScoredChunk;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The OpenAI chat-completion JSON shapes the server answers with, plus the {@code groundwork} extension. */
final class OpenAiShapes {
  private OpenAiShapes() {}

  static Map<String, Object> error(String message, String type, String code) {
    return error(message, type, code, null);
  }

  /** OpenAI's error body; {@code param} names the request parameter at fault, or is null. */
  static Map<String, Object> error(String message, String type, String code, String param) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("message", message);
    e.put("type", type);
    e.put("param", param);
    e.put("code", code);
    return Map.of("error", e);
  }

  /**
   * OpenAI's quota error for a spent budget, with which budget ({@code budget}: scope, period, limit)
   * and when it resets ({@code resets_at}, null for a total budget).
   */
  static Map<String, Object> budgetError(dev.groundwork.core.budget.BudgetExceededException b) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("message", b.getMessage());
    e.put("type", "insufficient_quota");
    e.put("param", null);
    e.put("code", "budget_exceeded");
    Map<String, Object> budget = new LinkedHashMap<>();
    budget.put("scope", b.limit().scope());
    budget.put("period", b.limit().period().name().toLowerCase(java.util.Locale.ROOT));
    budget.put("limit_usd", b.limit().usd());
    budget.put("spent_usd", b.spentUsd());
    e.put("budget", budget);
    e.put("resets_at", b.resetsAt() == null ? null : b.resetsAt().toString());
    return Map.of("error", e);
  }

  static Map<String, Object> usage(Answer a) {
    return usage(a.usage().inputTokens(), a.usage().outputTokens());
  }

  static Map<String, Object> usage(long in, long out) {
    Map<String, Object> u = new LinkedHashMap<>();
    u.put("prompt_tokens", in);
    u.put("completion_tokens", out);
    u.put("total_tokens", in + out);
    return u;
  }

  /** Citations, retrieved chunk ids, cost and latency: what an OpenAI client ignores and a Groundwork client reads. */
  static Map<String, Object> extension(String queryId, Answer a) {
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("query_id", queryId);
    g.put("refused", a.refused());
    g.put("citations", Json.citations(a));
    g.put("retrieved", a.retrieved().stream().map(ScoredChunk::id).toList());
    g.put("cost_usd", a.costUsd());
    g.put("latency_ms", a.latencyMs());
    g.put("answered_by", a.model());
    g.put("prompt_version", a.generation() == null ? null : a.generation().promptVersion());
    if (a.rewrite() != null) g.put("rewrite", Json.rewrite(a.rewrite()));
    return g;
  }

  static Map<String, Object> completion(String id, long created, String model, Answer a, String queryId) {
    return completion(id, created, model, a.text(), "stop", usage(a), extension(queryId, a));
  }

  /** A chat completion with one choice; {@code ext} is the {@code groundwork} object. */
  static Map<String, Object> completion(String id, long created, String model, String text, String finish, Map<String, Object> usage,
      Map<String, Object> ext) {
    Map<String, Object> msg = new LinkedHashMap<>();
    msg.put("role", "assistant");
    msg.put("content", text);
    msg.put("refusal", null);
    Map<String, Object> choice = new LinkedHashMap<>();
    choice.put("index", 0);
    choice.put("message", msg);
    choice.put("logprobs", null);
    choice.put("finish_reason", finish);
    Map<String, Object> m = envelope(id, "chat.completion", created, model, choice);
    m.put("usage", usage);
    m.put("groundwork", ext);
    return m;
  }

  static Map<String, Object> chunk(String id, long created, String model, Map<String, Object> delta, String finish) {
    Map<String, Object> choice = new LinkedHashMap<>();
    choice.put("index", 0);
    choice.put("delta", delta);
    choice.put("logprobs", null);
    choice.put("finish_reason", finish);
    return envelope(id, "chat.completion.chunk", created, model, choice);
  }

  private static Map<String, Object> envelope(String id, String object, long created, String model, Map<String, Object> choice) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("object", object);
    m.put("created", created);
    m.put("model", model);
    m.put("choices", List.of(choice));
    return m;
  }
}
