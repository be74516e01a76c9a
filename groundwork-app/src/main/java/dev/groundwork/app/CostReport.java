package dev.groundwork.app;

import dev.groundwork.core.budget.Budgets;
import dev.groundwork.core.log.QueryLog;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the logged queries of a window cost: in total, per model, per route, per API key and per day
 * (UTC), the share of queries each model answered, the average cost per query, and the month
 * projected at the traffic of the window's last seven days. Queries whose price was unknown are
 * counted apart and never as $0.
 *
 * @param unpriced queries whose cost is unknown (a model without a price)
 * @param projectedMonthUsd the last seven days' (or the whole window's, if shorter) spend per day, times 30
 * @param budgets where the project's budgets stand now (from the budget ledger, not the log)
 */
public record CostReport(Instant from, Instant to, long queries, long unpriced, double totalUsd, double averageUsd, double projectedMonthUsd,
    List<Row> byModel, List<Row> byRoute, List<Row> byKey, List<Row> byDay, List<Budgets.Status> budgets) {
  public CostReport {
    budgets = List.copyOf(budgets);
  }

  /** This report with the project's budgets as they stand. */
  public CostReport withBudgets(List<Budgets.Status> status) {
    return new CostReport(from, to, queries, unpriced, totalUsd, averageUsd, projectedMonthUsd, byModel, byRoute, byKey, byDay, status);
  }

  /**
   * One group's queries and spend.
   *
   * @param share its share of the window's queries
   * @param escalated for a route: how many of its queries went past its first model
   */
  public record Row(String name, long queries, double share, double usd, long unpriced, long escalated) {}

  /** The report of {@code [from, to)}, read from {@code log} a page at a time. */
  public static CostReport of(QueryLog log, Instant from, Instant to) {
    if (!from.isBefore(to)) throw new BadInputException("the cost window must end after it starts (" + from + " .. " + to + ")");
    Map<String, Group> byModel = new TreeMap<>(), byRoute = new TreeMap<>(), byKey = new TreeMap<>(), byDay = new TreeMap<>();
    long queries = 0, unpriced = 0;
    double total = 0, recent = 0;
    Instant recentFrom = to.minus(Duration.ofDays(7)).isBefore(from) ? from : to.minus(Duration.ofDays(7));
    int page = 1000;
    for (int offset = 0; ; offset += page) {
      List<QueryLog.Logged> batch = log.list(new QueryLog.Query(from, to, null, null, null, page, offset));
      for (QueryLog.Logged l : batch) {
        QueryLog.Entry e = l.entry();
        if (e.time().isBefore(from) || !e.time().isBefore(to)) continue;
        queries++;
        boolean known = e.costUsd() != null;
        double c = known ? e.costUsd() : 0;
        if (!known) unpriced++;
        total += c;
        if (!e.time().isBefore(recentFrom)) recent += c;
        byModel.computeIfAbsent(e.model(), k -> new Group()).add(c, known, false);
        String[] route = route(e.route());
        if (route != null) byRoute.computeIfAbsent(route[0], k -> new Group()).add(c, known, route[1] != null);
        byKey.computeIfAbsent(e.keyId() == null ? "(no key)" : e.keyId(), k -> new Group()).add(c, known, false);
        byDay.computeIfAbsent(LocalDate.ofInstant(e.time(), ZoneOffset.UTC).toString(), k -> new Group()).add(c, known, false);
      }
      if (batch.size() < page) break;
    }
    double recentDays = Math.max(1e-9, Duration.between(recentFrom, to).toMillis() / 86_400_000.0);
    return new CostReport(from, to, queries, unpriced, total, queries == 0 ? 0 : total / queries, recent / recentDays * 30,
        rows(byModel, queries, true), rows(byRoute, queries, true), rows(byKey, queries, true), rows(byDay, queries, false), List.of());
  }

  /** One group's running totals. */
  private static final class Group {
    long queries, unpriced, escalated;
    double usd;

    void add(double cost, boolean known, boolean wasEscalated) {
      queries++;
      if (!known) unpriced++;
      if (wasEscalated) escalated++;
      usd += cost;
    }
  }

  /** The groups as rows: by name (a day), or by spend, highest first. */
  private static List<Row> rows(Map<String, Group> groups, long queries, boolean bySpend) {
    List<Row> out = new ArrayList<>();
    groups.forEach((name, g) -> out.add(new Row(name, g.queries, queries == 0 ? 0 : (double) g.queries / queries, g.usd, g.unpriced, g.escalated)));
    if (bySpend) out.sort(Comparator.comparingDouble(Row::usd).reversed().thenComparing(Comparator.comparingLong(Row::queries).reversed()));
    return out;
  }

  /** The route's name and, when it escalated, a non-null second element; null when no route answered. */
  private static String[] route(String json) {
    if (json == null) return null;
    try {
      var n = Json.MAPPER.readTree(json);
      return new String[] {n.path("route").asText("?"), n.path("escalated").asBoolean(false) ? "yes" : null};
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return new String[] {"?", null};
    }
  }

  /** The report as JSON-ready maps, the same for {@code cost --json} and {@code GET /api/cost}. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("from", from.toString());
    m.put("to", to.toString());
    m.put("queries", queries);
    m.put("unpriced_queries", unpriced);
    m.put("total_usd", Json.round(totalUsd));
    m.put("average_usd_per_query", averageUsd);
    m.put("projected_month_usd", Json.round(projectedMonthUsd));
    m.put("by_model", rowsJson(byModel, false));
    m.put("by_route", rowsJson(byRoute, true));
    m.put("by_key", rowsJson(byKey, false));
    m.put("by_day", rowsJson(byDay, false));
    List<Map<String, Object>> b = new ArrayList<>();
    for (Budgets.Status st : budgets) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("scope", st.limit().scope());
      row.put("period", st.limit().period().name().toLowerCase(java.util.Locale.ROOT));
      row.put("limit_usd", st.limit().usd());
      row.put("spent_usd", st.spentUsd());
      row.put("remaining_usd", st.remainingUsd());
      row.put("resets_at", st.resetsAt() == null ? null : st.resetsAt().toString());
      b.add(row);
    }
    m.put("budgets", b);
    return m;
  }

  private static List<Map<String, Object>> rowsJson(List<Row> rows, boolean routes) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", r.name());
      m.put("queries", r.queries());
      m.put("share", Json.round(r.share()));
      m.put("usd", r.usd());
      m.put("unpriced", r.unpriced());
      if (routes) m.put("escalated", r.escalated());
      out.add(m);
    }
    return out;
  }
}
