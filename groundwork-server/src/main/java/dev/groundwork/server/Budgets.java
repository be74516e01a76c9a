package dev.groundwork.server;

import dev.groundwork.core.log.KeyStore;
import dev.groundwork.core.log.QueryLog;
import io.javalin.http.Context;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * What each key with a budget has spent: read from the query log the first time the key is seen
 * (so a restart forgets nothing), then kept up to date with every answer's cost. A key at or over
 * its budget gets 429 {@code insufficient_quota} before anything is spent; the one request that
 * crosses the line is answered, so a key may end up to one answer's cost over. Thread-safe.
 */
final class Budgets {
  private final QueryLog log;
  private final Map<String, DoubleAdder> spent = new ConcurrentHashMap<>();

  Budgets(QueryLog log) {
    this.log = log;
  }

  /** @throws Http.Refused when the calling key's budget is spent */
  void check(Context ctx) {
    KeyStore.Scope scope = ctx.attribute(AccessControl.KEY_SCOPE);
    String keyId = ctx.attribute(AccessControl.KEY_ID);
    if (scope == null || scope.budgetUsd() == null || keyId == null) return;
    double used = adder(keyId).sum();
    if (used >= scope.budgetUsd()) {
      throw new Http.Refused(429, "insufficient_quota", String.format(java.util.Locale.ROOT,
          "this key's budget of $%.4f is spent ($%.4f used); create a key with a larger budget (groundwork keys create NAME --budget-usd N)",
          scope.budgetUsd(), used));
    }
  }

  /** Adds an answer's cost to the calling key (unknown costs add nothing). */
  void charge(Context ctx, Double costUsd) {
    KeyStore.Scope scope = ctx.attribute(AccessControl.KEY_SCOPE);
    String keyId = ctx.attribute(AccessControl.KEY_ID);
    if (scope == null || scope.budgetUsd() == null || keyId == null || costUsd == null) return;
    adder(keyId).add(costUsd);
  }

  private DoubleAdder adder(String keyId) {
    return spent.computeIfAbsent(keyId, k -> {
      DoubleAdder a = new DoubleAdder();
      a.add(log.spentBy(k));
      return a;
    });
  }
}
