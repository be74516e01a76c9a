package dev.groundwork.server;

import dev.groundwork.app.Answering;
import dev.groundwork.core.Answer;
import dev.groundwork.core.Citation;
import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.budget.Budgets;
import dev.groundwork.core.log.KeyStore;
import dev.groundwork.core.log.QueryLog;
import dev.groundwork.core.retrieve.FollowUps;
import dev.groundwork.core.trace.Timeline;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Every question the server is asked goes through here: it is answered (or forwarded), metered,
 * charged to the key's token limit and written to the query log, answered or failed. The log entry
 * is built in one place for all three outcomes.
 */
final class QueryRecorder {
  /** The request attribute holding the query id of the answer being written. */
  static final String QUERY_ID = "groundwork.query";
  private static final String BUDGET_CHECKED = "groundwork.budget.checked";
  private static final String PAYER = "groundwork.budget.payer";
  private final Answering answering;
  private final QueryLog log;
  private final Metrics metrics;
  private final AccessControl access;
  private final Clock clock;

  QueryRecorder(Answering answering, QueryLog log, Metrics metrics, AccessControl access, Clock clock) {
    this.answering = answering;
    this.log = log;
    this.metrics = metrics;
    this.access = access;
    this.clock = clock;
  }

  /**
   * A new query id: {@code q_}, then 20 hex digits, the first 11 the time in epoch milliseconds
   * (good until the year 2527) and the last 9 random (36 bits). Ids made later sort later, so the
   * log's primary-key index grows at its end: SQLite took 8 µs of CPU per row instead of 29 with
   * fully random ids, 200,000 rows in batches of 25 (README, under bench gateway).
   */
  static String newQueryId() {
    return newQueryId(System.currentTimeMillis());
  }

  static String newQueryId(long epochMs) {
    String time = java.util.HexFormat.of().toHexDigits(epochMs).substring(5); // 11 digits
    String random = java.util.HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong(1L << 36)).substring(7); // 9 digits
    return "q_" + time + random;
  }

  /** Answers from the documents and logs; a failed question is logged with its error and rethrown. */
  Answer answer(Context ctx, String model, String question, int k, Consumer<String> onToken) {
    return answer(ctx, model, List.of(), question, k, onToken);
  }

  /** As {@link #answer(Context, String, String, int, Consumer)}, for the last user message of a conversation whose earlier turns are {@code earlier}. */
  Answer answer(Context ctx, String model, List<FollowUps.Turn> earlier, String question, int k, Consumer<String> onToken) {
    Budgets.Payer payer = checkBudget(ctx);
    String qid = newQueryId();
    ctx.attribute(QUERY_ID, qid);
    long t0 = System.nanoTime();
    try {
      Answer a = Budgets.paidBy(payer,
          () -> earlier.isEmpty() ? answering.ask(model, question, k, onToken) : answering.ask(model, earlier, question, k, onToken));
      account(ctx, a.usage().inputTokens(), a.usage().outputTokens(), a.costUsd());
      metrics.retrieval(a.retrievalMs());
      List<String> cites = new ArrayList<>();
      for (Citation c : a.citations()) cites.add("[" + c.n() + "] " + c.source());
      record(ctx, qid, question, a.text(), a.refused(), a.model(), a.generation() != null && a.generation().fallback(),
          a.retrieved().stream().map(ScoredChunk::id).toList(), a.retrieved().stream().map(ScoredChunk::score).toList(), cites,
          a.usage().inputTokens(), a.usage().outputTokens(), a.costUsd(), a.latencyMs(),
          a.generation() == null ? null : a.generation().promptVersion(), null,
          a.routing() == null ? null : dev.groundwork.app.Json.compact(dev.groundwork.app.Json.routing(a.routing())),
          a.rewrite() == null || !a.rewrite().changed() ? null : a.rewrite().query());
      return a;
    } catch (RuntimeException e) {
      failed(ctx, qid, question, model, t0, e);
      throw e;
    }
  }

  /**
   * Who pays for this request's model calls besides the project: its key, with the key's own budgets
   * or the project's defaults for keys (null without a key).
   *
   * @throws dev.groundwork.core.budget.BudgetExceededException when one of them is spent already, so
   *     that the client gets a 429 before a stream starts
   */
  Budgets.Payer checkBudget(Context ctx) {
    // once per request: a stream checks before it starts, and its answer must not read the ledger again
    if (ctx.attribute(BUDGET_CHECKED) != null) return ctx.attribute(PAYER);
    KeyStore.Scope scope = ctx.attribute(AccessControl.KEY_SCOPE);
    String keyId = ctx.attribute(AccessControl.KEY_ID);
    Budgets budgets = answering.budgets();
    Budgets.Payer payer = keyId == null ? null
        : budgets.payer(keyId, scope == null ? null : scope.budgetUsd(), scope == null ? null : scope.dayUsd(), scope == null ? null : scope.monthUsd());
    budgets.check(payer);
    ctx.attribute(BUDGET_CHECKED, Boolean.TRUE);
    ctx.attribute(PAYER, payer);
    return payer;
  }

  /** Logs a reply a model gave to a forwarded request (the gateway path, no retrieval). */
  void forwarded(Context ctx, String qid, String question, Answering.Forwarded f, String model, long latencyMs) {
    var r = f.response();
    account(ctx, r.usage().inputTokens(), r.usage().outputTokens(), f.costUsd());
    record(ctx, qid, question, r.text(), false, r.traceOr(model).answeredBy(), r.trace() != null && r.trace().fallback(), List.of(), List.of(),
        List.of(), r.usage().inputTokens(), r.usage().outputTokens(), f.costUsd(), latencyMs, null, null, null, null);
  }

  /** Logs a question that failed, with its error. */
  void failed(Context ctx, String qid, String question, String model, long t0, RuntimeException e) {
    record(ctx, qid, question, "", false, model, false, List.of(), List.of(), List.of(), 0, 0, null, (System.nanoTime() - t0) / 1_000_000, null,
        e.getClass().getSimpleName() + ": " + e.getMessage(), null, null);
  }

  private void account(Context ctx, long in, long out, Double cost) {
    metrics.answered(in, out, cost);
    access.charge(ctx, in + out);
  }

  private void record(Context ctx, String qid, String question, String answer, boolean refused, String model, boolean fallback,
      List<String> retrieved, List<Double> scores, List<String> citations, long in, long out, Double cost, long ms, String promptVersion,
      String error, String route, String rewritten) {
    long t0 = System.nanoTime();
    try {
      log.record(new QueryLog.Entry(qid, clock.instant(), ctx.attribute(AccessControl.KEY_ID), question, answer, refused, model, fallback, retrieved,
          scores, citations, in, out, cost, ms, promptVersion, error, route, rewritten));
    } catch (RuntimeException e) {
      Timeline.record("log.write", t0, Map.of("groundwork.query_id", qid), e);
      throw e;
    }
    Timeline.record("log.write", t0, Map.of("groundwork.query_id", qid), null);
  }
}
