package dev.groundwork.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.app.Answering;
import dev.groundwork.app.Limits;
import dev.groundwork.core.Answer;
import dev.groundwork.core.budget.BudgetExceededException;
import dev.groundwork.core.budget.Budgets;
import dev.groundwork.core.log.KeyStore;
import dev.groundwork.core.model.ChatRequest;
import dev.groundwork.core.model.ModelException;
import dev.groundwork.core.retrieve.FollowUps;
import dev.groundwork.core.text.CleanText;
import dev.groundwork.core.text.Tokens;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The OpenAI-compatible routes: {@code /v1/models}, {@code /v1/chat/completions} (answered from the
 * documents, or forwarded to the model as it is with {@code groundwork.retrieve: false}) and
 * {@code /v1/embeddings}.
 */
final class GatewayRoutes {
  private final Answering answering;
  private final QueryRecorder recorder;
  private final Metrics metrics;
  private final Clock clock;
  GatewayRoutes(Answering answering, QueryRecorder recorder, Metrics metrics, Clock clock) {
    this.answering = answering;
    this.recorder = recorder;
    this.metrics = metrics;
    this.clock = clock;
  }

  void install(RoutesConfig routes) {
    routes.get("/v1/models", this::models);
    routes.post("/v1/chat/completions", this::chat);
    routes.post("/v1/embeddings", this::embeddings);
  }

  private void models(Context ctx) {
    List<Map<String, Object>> data = new ArrayList<>();
    KeyStore.Scope scope = scope(ctx);
    for (String m : answering.models()) if (scope.allows(m)) data.add(Map.of("id", m, "object", "model", "created", 0, "owned_by", "groundwork"));
    Http.json(ctx, 200, Map.of("object", "list", "data", data));
  }

  private static KeyStore.Scope scope(Context ctx) {
    KeyStore.Scope s = ctx.attribute(AccessControl.KEY_SCOPE);
    return s == null ? KeyStore.Scope.FULL : s;
  }

  /**
   * The {@code model} field, or, when it is absent, the first served model the calling key may use.
   *
   * @throws Http.Refused 403 when the key is limited to other models
   */
  String model(Context ctx, JsonNode body) {
    KeyStore.Scope scope = scope(ctx);
    String m = body.path("model").asText("");
    if (m.isEmpty()) {
      return answering.models().stream().filter(scope::allows).findFirst()
          .orElseThrow(() -> new Http.Refused(403, "model_not_allowed", "this key may use only " + String.join(", ", scope.models())
              + ", and none of them is served here"));
    }
    if (!answering.models().contains(m)) throw new NoSuchElementException("The model '" + m + "' does not exist; available: " + String.join(", ", answering.models()));
    if (!scope.allows(m)) throw new Http.Refused(403, "model_not_allowed", "this key may not use " + m + "; it may use " + String.join(", ", scope.models()));
    return m;
  }

  /** {@code node} as k: absent means the configuration's retrieval.k; anything but a whole number in range is a 400 naming {@code field}. */
  int k(JsonNode node, String field) {
    if (node.isMissingNode() || node.isNull()) return answering.defaultK();
    if (!node.isIntegralNumber()) throw new Http.BadRequest(field + " must be a whole number, got " + node);
    return Limits.k(node.asLong(), Limits.MAX_ASK_K, field);
  }

  private void chat(Context ctx) {
    JsonNode body = Http.body(ctx);
    RequestChecks.chat(body);
    String lastUser = ChatRequests.lastUserMessage(body);
    String model = model(ctx, body);
    String id = "chatcmpl-" + Http.hex(12);
    long created = clock.instant().getEpochSecond();
    if (!body.path("groundwork").path("retrieve").asBoolean(true)) {
      // a forwarded prompt may be as long as the model takes: cleaned, not capped
      forward(ctx, body, model, CleanText.of(lastUser), id, created);
      return;
    }
    String question = Limits.query(lastUser, "messages");
    // a follow-up ("and how long is it kept?") is made standalone from the turns before it
    List<FollowUps.Turn> earlier = ChatRequests.earlierTurns(body);
    int k = k(body.path("groundwork").path("k"), "groundwork.k");
    if (!body.path("stream").asBoolean(false)) {
      Answer a = recorder.answer(ctx, model, earlier, question, k, null);
      Http.json(ctx, 200, OpenAiShapes.completion(id, created, model, a, ctx.attribute(QueryRecorder.QUERY_ID)));
      return;
    }
    recorder.checkBudget(ctx); // a spent budget gets its 429 before the stream starts
    Sse sse = new Sse(ctx);
    sse.send(OpenAiShapes.chunk(id, created, model, Map.of("role", "assistant", "content", ""), null));
    Answer a;
    try {
      a = recorder.answer(ctx, model, earlier, question, k, token -> sse.send(OpenAiShapes.chunk(id, created, model, Map.of("content", token), null)));
    } catch (ModelException e) {
      metrics.error(e.kind().name().toLowerCase(Locale.ROOT));
      sse.send(OpenAiShapes.error("the model failed: " + e.getMessage(), "upstream_error", e.kind().name().toLowerCase(Locale.ROOT)));
      sse.done();
      return;
    } catch (BudgetExceededException e) {
      // a call's bound did not fit after the stream began (another request took the rest)
      metrics.error("budget_exceeded");
      sse.send(OpenAiShapes.budgetError(e));
      sse.done();
      return;
    }
    Map<String, Object> last = OpenAiShapes.chunk(id, created, model, Map.of(), "stop");
    last.put("groundwork", OpenAiShapes.extension(ctx.attribute(QueryRecorder.QUERY_ID), a));
    sse.send(last);
    finish(sse, body, id, created, model, OpenAiShapes.usage(a));
  }

  /** The usage chunk when the client asked for it, then [DONE]. */
  private static void finish(Sse sse, JsonNode body, String id, long created, String model, Map<String, Object> usage) {
    if (body.path("stream_options").path("include_usage").asBoolean(false)) {
      Map<String, Object> u = OpenAiShapes.chunk(id, created, model, Map.of(), null);
      u.put("choices", List.of());
      u.put("usage", usage);
      sse.send(u);
    }
    sse.done();
  }

  /** The gateway path: the request goes to the model as it is; the reply is logged and metered like an answer. */
  private void forward(Context ctx, JsonNode body, String model, String question, String id, long created) {
    ChatRequest req = ChatRequests.toChatRequest(body);
    Budgets.Payer payer = recorder.checkBudget(ctx);
    String qid = QueryRecorder.newQueryId();
    long t0 = System.nanoTime();
    Sse sse = body.path("stream").asBoolean(false) ? new Sse(ctx) : null;
    if (sse != null) sse.send(OpenAiShapes.chunk(id, created, model, Map.of("role", "assistant", "content", ""), null));
    Answering.Forwarded f;
    try {
      f = Budgets.paidBy(payer,
          () -> answering.forward(model, req, sse == null ? null : token -> sse.send(OpenAiShapes.chunk(id, created, model, Map.of("content", token), null))));
    } catch (RuntimeException e) {
      recorder.failed(ctx, qid, question, model, t0, e);
      if (sse == null) throw e;
      sse.send(e instanceof BudgetExceededException b ? OpenAiShapes.budgetError(b) : OpenAiShapes.error(e.getMessage(), "upstream_error", null));
      sse.done();
      return;
    }
    var r = f.response();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    recorder.forwarded(ctx, qid, question, f, model, ms);
    Map<String, Object> usage = OpenAiShapes.usage(r.usage().inputTokens(), r.usage().outputTokens());
    Map<String, Object> ext = new LinkedHashMap<>();
    ext.put("query_id", qid);
    ext.put("cost_usd", f.costUsd());
    ext.put("latency_ms", ms);
    ext.put("answered_by", r.traceOr(model).answeredBy());
    String finish = r.finishReason() == null ? "stop" : r.finishReason();
    if (sse == null) {
      Map<String, Object> c = OpenAiShapes.completion(id, created, model, r.text(), finish, usage, ext);
      if (!r.toolCalls().isEmpty()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> msg = (Map<String, Object>) ((Map<String, Object>) ((List<?>) c.get("choices")).get(0)).get("message");
        msg.put("tool_calls", ChatRequests.toolCalls(r.toolCalls(), false));
        if (r.text().isEmpty()) msg.put("content", null);
      }
      Http.json(ctx, 200, c);
      return;
    }
    if (!r.toolCalls().isEmpty()) {
      // the model streamed its tool calls; they go out whole, in one delta, as OpenAI clients accept
      sse.send(OpenAiShapes.chunk(id, created, model, Map.of("tool_calls", ChatRequests.toolCalls(r.toolCalls(), true)), null));
    }
    Map<String, Object> last = OpenAiShapes.chunk(id, created, model, Map.of(), finish);
    last.put("groundwork", ext);
    sse.send(last);
    finish(sse, body, id, created, model, usage);
  }

  private void embeddings(Context ctx) {
    JsonNode body = Http.body(ctx);
    JsonNode input = body.path("input");
    List<String> texts = new ArrayList<>();
    if (input.isTextual()) texts.add(input.asText());
    else if (input.isArray()) input.forEach(n -> {
      if (!n.isTextual()) throw new Http.BadRequest("'input' must be a string or an array of strings");
      texts.add(n.asText());
    });
    else throw new Http.BadRequest("'input' must be a string or an array of strings");
    if (texts.isEmpty() || texts.size() > 2048) throw new Http.BadRequest("'input' must hold 1..2048 strings");
    List<float[]> vs = answering.embed(texts);
    List<Map<String, Object>> data = new ArrayList<>();
    for (int i = 0; i < vs.size(); i++) data.add(Map.of("object", "embedding", "index", i, "embedding", vs.get(i)));
    int tokens = texts.stream().mapToInt(Tokens::count).sum();
    Http.json(ctx, 200, Map.of("object", "list", "data", data, "model", answering.embedderName(), "usage", Map.of("prompt_tokens", tokens, "total_tokens", tokens)));
  }
}
