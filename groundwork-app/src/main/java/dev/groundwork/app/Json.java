package dev.groundwork.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.groundwork.core.Answer;
import dev.groundwork.core.Citation;
import dev.groundwork.core.Generation;
import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes the CLI prints with {@code --json}. Keys are snake_case and stable. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper COMPACT = new ObjectMapper();

  private Json() {}

  public static String write(Object o) {
    try {
      return MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One line, for "the last thing on stdout" results. */
  public static String compact(Object o) {
    try {
      return COMPACT.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An answer's citations as the CLI and the API both print them: n, source, chunk_id, heading, page, text. */
  public static List<Map<String, Object>> citations(Answer a) {
    List<Map<String, Object>> cites = new ArrayList<>();
    for (Citation c : a.citations()) {
      Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("n", c.n());
      cm.put("source", c.source());
      cm.put("chunk_id", c.chunkId());
      cm.put("heading", c.heading());
      cm.put("page", c.page());
      cm.put("text", c.text());
      cites.add(cm);
    }
    return cites;
  }

  /** How a conversation's follow-up was made standalone: {original, query, method, note}. */
  public static Map<String, Object> rewrite(dev.groundwork.core.QueryRewrite r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("original", r.original());
    m.put("query", r.query());
    m.put("method", r.method());
    if (r.note() != null) m.put("note", r.note());
    return m;
  }

  public static Map<String, Object> answer(String question, Answer a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("question", question);
    if (a.rewrite() != null) m.put("rewrite", rewrite(a.rewrite()));
    m.put("answer", a.text());
    m.put("refused", a.refused());
    m.put("evidence", round(a.evidence()));
    m.put("citations", citations(a));
    if (!a.notes().isEmpty()) m.put("notes", a.notes());
    List<Map<String, Object>> retrieved = new ArrayList<>();
    for (int i = 0; i < a.retrieved().size(); i++) {
      ScoredChunk h = a.retrieved().get(i);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("rank", i + 1);
      r.put("chunk_id", h.id());
      r.put("score", round(h.score()));
      r.put("source", h.chunk().source());
      retrieved.add(r);
    }
    m.put("retrieved", retrieved);
    m.put("model", a.model());
    Map<String, Object> usage = new LinkedHashMap<>();
    usage.put("input_tokens", a.usage().inputTokens());
    usage.put("output_tokens", a.usage().outputTokens());
    usage.put("embedding_tokens", a.usage().embeddingTokens());
    m.put("usage", usage);
    usage.put("estimated", a.steps().stream().anyMatch(st -> st.usage().estimated()));
    m.put("cost_usd", a.costUsd());
    m.put("latency_ms", a.latencyMs());
    m.put("retrieval_ms", a.retrievalMs());
    List<Map<String, Object>> steps = new ArrayList<>();
    for (Step st : a.steps()) {
      Map<String, Object> sm = new LinkedHashMap<>();
      sm.put("step", st.name());
      sm.put("model", st.model());
      sm.put("input_tokens", st.usage().inputTokens());
      sm.put("cached_input_tokens", st.usage().cachedInputTokens());
      sm.put("output_tokens", st.usage().outputTokens());
      sm.put("estimated", st.usage().estimated());
      sm.put("attempts", st.attempts());
      sm.put("cached", st.cached());
      sm.put("cost_usd", st.costUsd());
      steps.add(sm);
    }
    m.put("steps", steps);
    Generation g = a.generation();
    m.put("prompt_version", g == null ? null : g.promptVersion());
    if (g != null) {
      Map<String, Object> gm = new LinkedHashMap<>();
      gm.put("answered_by", g.answeredBy());
      gm.put("fallback", g.fallback());
      gm.put("failures", g.failures());
      gm.put("invalid_citations", g.invalidCitations());
      gm.put("dropped_chunks", g.droppedChunks());
      gm.put("context_tokens", g.contextTokens());
      gm.put("finish_reason", g.finishReason());
      m.put("generation", gm);
    }
    if (a.verification() != null) {
      Map<String, Object> vm = new LinkedHashMap<>();
      vm.put("verifier", a.verification().verifier());
      vm.put("score", round(a.verification().score()));
      vm.put("passed", a.verification().passed());
      vm.put("reason", a.verification().reason());
      m.put("verification", vm);
    }
    if (a.routing() != null) m.put("routing", routing(a.routing()));
    return m;
  }

  /** A route's record: {@code {"route", "policy", "escalated", "attempts": [{"model", "accepted", "reason", "usage", "cost_usd", "latency_ms"}]}}. */
  public static Map<String, Object> routing(dev.groundwork.core.Routing r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("route", r.route());
    m.put("policy", r.policy());
    m.put("escalated", r.escalated());
    List<Map<String, Object>> attempts = new java.util.ArrayList<>();
    for (dev.groundwork.core.Routing.Attempt at : r.attempts()) {
      Map<String, Object> am = new LinkedHashMap<>();
      am.put("model", at.model());
      am.put("accepted", at.accepted());
      am.put("reason", at.reason());
      am.put("input_tokens", at.usage().inputTokens());
      am.put("output_tokens", at.usage().outputTokens());
      am.put("cost_usd", at.costUsd());
      am.put("latency_ms", at.latencyMs());
      attempts.add(am);
    }
    m.put("attempts", attempts);
    return m;
  }

  public static double round(double d) {
    return Math.round(d * 1e6) / 1e6;
  }
}
