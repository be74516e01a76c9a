package dev.groundwork.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.groundwork.core.log.QueryLog;
import dev.groundwork.store.jdbc.JdbcQueryLog;
import dev.groundwork.store.jdbc.JdbcStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CostReportTest {
  @TempDir Path dir;

  static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

  static QueryLog.Entry entry(String id, Instant t, String key, String model, Double cost, String route) {
    return new QueryLog.Entry(id, t, key, "q", "a", false, model, false, List.of(), List.of(), List.of(), 10, 5, cost, 3, null, null, route);
  }

  @Test
  void spendIsGroupedByModelRouteKeyAndDayAndTheMonthIsProjectedFromTheLastWeek() {
    String escalated = "{\"route\":\"support\",\"policy\":\"cascade\",\"escalated\":true,\"attempts\":[]}";
    String cheap = "{\"route\":\"support\",\"policy\":\"cascade\",\"escalated\":false,\"attempts\":[]}";
    try (JdbcStore store = JdbcStore.sqlite(dir.resolve("q.db")); QueryLog log = new JdbcQueryLog(store)) {
      log.record(entry("old", NOW.minus(Duration.ofDays(40)), "k1", "openai:big", 5.0, null)); // outside the window
      log.record(entry("a", NOW.minus(Duration.ofDays(20)), "k1", "openai:big", 0.30, null)); // in the window, before the last week
      log.record(entry("b", NOW.minus(Duration.ofDays(2)), "k1", "openai:big", 0.07, escalated));
      log.record(entry("c", NOW.minus(Duration.ofDays(1)), "k2", "extractive", 0.0, cheap));
      log.record(entry("d", NOW.minus(Duration.ofHours(1)), null, "local:unpriced", null, null));
      CostReport r = CostReport.of(log, NOW.minus(Duration.ofDays(30)), NOW);
      assertThat(r.queries()).isEqualTo(4);
      assertThat(r.unpriced()).isEqualTo(1);
      assertThat(r.totalUsd()).isCloseTo(0.37, within(1e-12));
      assertThat(r.averageUsd()).isCloseTo(0.37 / 4, within(1e-12));
      assertThat(r.projectedMonthUsd()).as("0.07 in the last 7 days").isCloseTo(0.07 / 7 * 30, within(1e-9));
      assertThat(r.byModel()).extracting(CostReport.Row::name).containsExactly("openai:big", "extractive", "local:unpriced");
      assertThat(r.byModel().get(0).queries()).isEqualTo(2);
      assertThat(r.byModel().get(0).share()).isEqualTo(0.5);
      assertThat(r.byModel().get(2).unpriced()).isEqualTo(1);
      assertThat(r.byRoute()).singleElement().satisfies(row -> {
        assertThat(row.name()).isEqualTo("support");
        assertThat(row.queries()).isEqualTo(2);
        assertThat(row.escalated()).isEqualTo(1);
        assertThat(row.usd()).isCloseTo(0.07, within(1e-12));
      });
      assertThat(r.byKey()).extracting(CostReport.Row::name).containsExactlyInAnyOrder("k1", "k2", "(no key)");
      assertThat(r.byDay()).extracting(CostReport.Row::name).containsExactly("2026-11-13", "2026-12-01", "2026-12-02", "2026-12-03");
      var json = r.toJson();
      assertThat(json).containsKeys("queries", "total_usd", "average_usd_per_query", "projected_month_usd", "by_model", "by_route", "by_key", "by_day");
    }
  }

  @Test
  void anEmptyLogCostsNothingAndAnInvertedWindowIsRefused() {
    try (JdbcStore store = JdbcStore.sqlite(dir.resolve("e.db")); QueryLog log = new JdbcQueryLog(store)) {
      CostReport r = CostReport.of(log, NOW.minus(Duration.ofDays(1)), NOW);
      assertThat(r.queries()).isZero();
      assertThat(r.averageUsd()).isZero();
      assertThat(r.byModel()).isEmpty();
      assertThatThrownBy(() -> CostReport.of(log, NOW, NOW.minus(Duration.ofDays(1)))).hasMessageContaining("must end after it starts");
    }
  }
}
