package dev.groundwork.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.app.Answering;
import dev.groundwork.app.Documents;
import dev.groundwork.app.Limits;
import dev.groundwork.app.SearchResult;
import dev.groundwork.core.Answer;
import dev.groundwork.core.log.QueryLog;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The project API: {@code /api/search}, {@code /api/ask}, {@code /api/feedback}, {@code /api/queries},
 * {@code /api/ingest} and {@code DELETE /api/documents/{id}}. Search and ask answer with the same
 * records the CLI prints with {@code --json}.
 */
final class ProjectRoutes {
  private final Answering answering;
  private final Documents documents;
  private final QueryRecorder recorder;
  private final GatewayRoutes gateway;
  private final QueryLog log;
  private final Clock clock;

  ProjectRoutes(Answering answering, Documents documents, QueryRecorder recorder, GatewayRoutes gateway, QueryLog log, Clock clock) {
    this.answering = answering;
    this.documents = documents;
    this.recorder = recorder;
    this.gateway = gateway;
    this.log = log;
    this.clock = clock;
  }

  void install(RoutesConfig routes) {
    routes.get("/api/search", this::search);
    routes.post("/api/ask", this::ask);
    routes.post("/api/feedback", this::feedback);
    routes.get("/api/queries", this::queries);
    routes.get("/api/cost", this::cost);
    routes.post("/api/ingest", this::ingest);
    routes.delete("/api/documents/<id>", this::deleteDocument);
  }

  private void search(Context ctx) {
    String q = ctx.queryParam("q");
    if (q == null || q.isBlank()) throw new Http.BadRequest("query parameter q is required");
    int k = Http.intParam(ctx, "k", 10, 1, Limits.MAX_SEARCH_K);
    Http.json(ctx, 200, new WithLegacyName(answering.search(q, k)));
  }

  /**
   * The search result, plus its hits again under "results": "hits" is the name the CLI and the API
   * share, "results" was the CLI's until 0.1 and answers too for one release.
   */
  record WithLegacyName(@com.fasterxml.jackson.annotation.JsonUnwrapped SearchResult result) {
    public List<SearchResult.Hit> getResults() {
      return result.hits();
    }
  }

  private void ask(Context ctx) {
    JsonNode body = Http.body(ctx);
    RequestChecks.ask(body);
    String question = Limits.query(body.path("question").asText(""), "question");
    String model = gateway.model(ctx, body);
    int k = gateway.k(body.path("k"), "k");
    Answer a = recorder.answer(ctx, model, question, k, null);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("query_id", ctx.attribute(QueryRecorder.QUERY_ID));
    m.putAll(answering.describe(question, a));
    Http.json(ctx, 200, m);
  }

  private void feedback(Context ctx) {
    JsonNode body = Http.body(ctx);
    String id = body.path("query_id").asText("");
    if (id.isBlank()) throw new Http.BadRequest("'query_id' is required");
    String corrected = body.hasNonNull("corrected_answer") ? body.get("corrected_answer").asText() : null;
    String comment = body.hasNonNull("comment") ? body.get("comment").asText() : null;
    log.feedback(new QueryLog.Feedback(id, body.path("rating").asText(""), corrected, comment, clock.instant()));
    Http.json(ctx, 200, Map.of("status", "recorded", "query_id", id));
  }

  private void queries(Context ctx) {
    Boolean refused = ctx.queryParam("refused") == null ? null : Boolean.parseBoolean(ctx.queryParam("refused"));
    QueryLog.Query q = new QueryLog.Query(Http.instant(ctx, "from"), Http.instant(ctx, "to"), ctx.queryParam("model"), ctx.queryParam("feedback"),
        refused, Http.intParam(ctx, "limit", 50, 1, 1000), Http.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE));
    List<Map<String, Object>> out = new ArrayList<>();
    for (QueryLog.Logged l : log.list(q)) {
      QueryLog.Entry e = l.entry();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", e.id());
      m.put("time", e.time().toString());
      m.put("key_id", e.keyId());
      m.put("question", e.question());
      m.put("answer", e.answer());
      m.put("refused", e.refused());
      m.put("model", e.model());
      m.put("fallback", e.fallback());
      m.put("retrieved", e.retrieved());
      m.put("scores", e.scores());
      m.put("citations", e.citations());
      m.put("input_tokens", e.inputTokens());
      m.put("output_tokens", e.outputTokens());
      m.put("cost_usd", e.costUsd());
      m.put("latency_ms", e.latencyMs());
      m.put("prompt_version", e.promptVersion());
      m.put("error", e.error());
      m.put("route", routeJson(e.route()));
      m.put("rewritten_query", e.rewrittenQuery());
      m.put("feedback", l.feedback() == null ? null : Map.of("rating", l.feedback().rating(), "corrected_answer",
          Objects.requireNonNullElse(l.feedback().correctedAnswer(), ""), "comment", Objects.requireNonNullElse(l.feedback().comment(), "")));
      out.add(m);
    }
    Http.json(ctx, 200, Map.of("queries", out, "limit", q.limit(), "offset", q.offset()));
  }

  /** Spend of the last {@code days} days (default 30): per model, route, key and day, with the month projected, and the project's budgets. */
  private void cost(Context ctx) {
    int days = Http.intParam(ctx, "days", 30, 1, 3660);
    Instant to = clock.instant();
    Http.json(ctx, 200, dev.groundwork.app.CostReport.of(log, to.minus(java.time.Duration.ofDays(days)), to)
        .withBudgets(answering.budgets().projectStatus()).toJson());
  }

  /** A logged route record, stored as JSON, as a JSON value (null when no route answered). */
  private static Object routeJson(String stored) {
    if (stored == null) return null;
    try {
      return dev.groundwork.app.Json.MAPPER.readTree(stored);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return stored; // written by us, so never expected; shown as it is rather than lost
    }
  }

  /** An upload (multipart field {@code file}) or JSON {@code {"name", "text"}}; the type comes from the bytes. */
  private void ingest(Context ctx) {
    if (documents == null) throw new Http.BadRequest("this server does not take documents");
    String name;
    byte[] bytes;
    String type = Objects.requireNonNullElse(ctx.contentType(), "");
    if (type.startsWith("multipart/form-data")) {
      var file = ctx.uploadedFile("file");
      if (file == null) throw new Http.BadRequest("multipart upload needs a 'file' field");
      name = file.filename();
      try (var in = file.content()) {
        bytes = in.readAllBytes();
      } catch (IOException e) {
        throw new Http.BadRequest("cannot read the upload: " + e.getMessage());
      }
    } else {
      JsonNode body = Http.body(ctx);
      name = body.path("name").asText("");
      if (!body.path("text").isTextual()) throw new Http.BadRequest("JSON uploads need 'name' and 'text' (or send multipart/form-data with a 'file')");
      bytes = body.path("text").asText().getBytes(StandardCharsets.UTF_8);
    }
    name = name.replace('\\', '/');
    name = name.substring(name.lastIndexOf('/') + 1).strip();
    if (name.isEmpty() || name.startsWith(".") || !name.matches("[\\w .()+-]{1,200}")) {
      throw new Http.BadRequest("the file name must be 1..200 letters, digits, spaces or . _ ( ) + -, got '" + name + "'");
    }
    if (bytes.length == 0) throw new Http.BadRequest(name + ": empty upload");
    Documents.Ingested r = documents.ingest(name, ContentTypes.detect(name, bytes), bytes);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("document_id", r.documentId());
    m.put("chunks", r.chunks());
    m.put("replaced", r.replaced());
    m.put("skipped", r.skipped());
    Http.json(ctx, r.skipped() == null ? 200 : 422, m);
  }

  private void deleteDocument(Context ctx) {
    if (documents == null) throw new Http.BadRequest("this server does not take documents");
    String id = ctx.pathParam("id");
    if (!documents.delete(id)) throw new NoSuchElementException("no document " + id + " in the index");
    Http.json(ctx, 200, Map.of("deleted", id));
  }
}
