package dev.groundwork.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.budget.BudgetExceededException;
import dev.groundwork.core.budget.BudgetLedger;
import dev.groundwork.core.budget.BudgetLimit;
import dev.groundwork.core.budget.BudgetPeriod;
import dev.groundwork.core.log.KeyStore;
import dev.groundwork.core.log.QueryLog;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query log and keys contract, run against every store: a SQLite file ({@link SqliteStoreTest})
 * and a real PostgreSQL server ({@link PostgresStoreIT}).
 */
abstract class StoreContract {
  @TempDir Path dir;

  /** A store for {@code name}: the same name opens the same data again. */
  abstract JdbcStore open(String name) throws Exception;

  /** The JDBC URL {@link #open} opens for {@code name}, for tests that write a store as an older release left it. */
  abstract String jdbcUrl(String name) throws Exception;

  static QueryLog.Entry entry(String id, long t, String model, boolean refused) {
    return new QueryLog.Entry(id, Instant.ofEpochMilli(t), "k1", "q " + id, refused ? "The documents do not contain..." : "a [1]", refused, model, false,
        List.of("doc#0", "doc#1"), List.of(0.9, 0.5), List.of("[1] doc"), 10, 5, model.equals("openai:new") ? null : 0.001, 42, "abc", null);
  }

  @Test
  void recordsFiltersPagesAndKeepsFeedbackAcrossReopening() throws Exception {
    try (QueryLog log = new JdbcQueryLog(open("log"))) {
      log.record(entry("a", 1000, "extractive", false));
      log.record(entry("b", 2000, "openai:new", true));
      log.record(entry("c", 3000, "extractive", false));
      log.feedback(new QueryLog.Feedback("a", "down", "It is 5.", "wrong number", Instant.ofEpochMilli(4000)));
      assertThatThrownBy(() -> log.feedback(new QueryLog.Feedback("zz", "up", null, null, Instant.now()))).isInstanceOf(NoSuchElementException.class);
    }
    try (QueryLog log = new JdbcQueryLog(open("log"))) {
      assertThat(log.list(QueryLog.Query.latest(10))).extracting(l -> l.entry().id()).containsExactly("c", "b", "a");
      assertThat(log.list(new QueryLog.Query(null, null, null, "down", null, 10, 0))).singleElement().satisfies(l -> {
        assertThat(l.entry().id()).isEqualTo("a");
        assertThat(l.feedback().correctedAnswer()).isEqualTo("It is 5.");
        assertThat(l.entry().retrieved()).containsExactly("doc#0", "doc#1");
        assertThat(l.entry().scores()).containsExactly(0.9, 0.5);
      });
      assertThat(log.list(new QueryLog.Query(null, null, null, "none", null, 10, 0))).hasSize(2);
      assertThat(log.list(new QueryLog.Query(null, null, "openai:new", null, true, 10, 0))).singleElement()
          .satisfies(l -> assertThat(l.entry().costUsd()).isNull());
      assertThat(log.list(new QueryLog.Query(Instant.ofEpochMilli(1500), Instant.ofEpochMilli(3500), null, null, null, 1, 1)))
          .extracting(l -> l.entry().id()).containsExactly("b");
    }
  }

  @Test
  void aFollowUpsRewrittenQueryIsKeptWithItsEntryAcrossAReopen() throws Exception {
    QueryLog.Entry e = entry("c1", 1000, "extractive", false);
    try (QueryLog log = new JdbcQueryLog(open("rewrites"))) {
      log.record(new QueryLog.Entry(e.id(), e.time(), e.keyId(), "and how long are they kept?", e.answer(), e.refused(), e.model(), e.fallback(),
          e.retrieved(), e.scores(), e.citations(), e.inputTokens(), e.outputTokens(), e.costUsd(), e.latencyMs(), e.promptVersion(), e.error(), null,
          "how long are they kept? dead jobs"));
      log.record(entry("c2", 2000, "extractive", false));
    }
    try (QueryLog log = new JdbcQueryLog(open("rewrites"))) {
      assertThat(log.list(QueryLog.Query.latest(10))).extracting(l -> l.entry().rewrittenQuery()).containsExactly(null, "how long are they kept? dead jobs");
      assertThat(log.get("c1").orElseThrow().entry().question()).isEqualTo("and how long are they kept?");
    }
  }

  @Test
  void aRoutesRecordIsKeptWithItsEntry() throws Exception {
    String route = "{\"route\":\"support\",\"attempts\":[{\"model\":\"extractive\",\"accepted\":false},{\"model\":\"openai:m\",\"accepted\":true}]}";
    QueryLog.Entry e = entry("r1", 1000, "openai:m", false);
    try (QueryLog log = new JdbcQueryLog(open("routes"))) {
      log.record(new QueryLog.Entry(e.id(), e.time(), e.keyId(), e.question(), e.answer(), e.refused(), e.model(), e.fallback(), e.retrieved(),
          e.scores(), e.citations(), e.inputTokens(), e.outputTokens(), e.costUsd(), e.latencyMs(), e.promptVersion(), e.error(), route));
      log.record(entry("r2", 2000, "extractive", false));
    }
    try (QueryLog log = new JdbcQueryLog(open("routes"))) {
      assertThat(log.list(QueryLog.Query.latest(10))).extracting(l -> l.entry().route()).containsExactly(null, route);
    }
  }

  @Test
  void aBatchIsCommittedWholeOrNotAtAll() throws Exception {
    try (QueryLog log = new JdbcQueryLog(open("batch"))) {
      log.recordAll(List.of(entry("x1", 1000, "extractive", false), entry("x2", 1001, "extractive", false), entry("x3", 1002, "extractive", true)));
      assertThat(log.list(QueryLog.Query.latest(10))).hasSize(3);
      // x2 again: the primary key refuses it, and y1 (before it in the batch) must go too
      assertThatThrownBy(() -> log.recordAll(List.of(entry("y1", 2000, "extractive", false), entry("x2", 2001, "extractive", false))))
          .isInstanceOf(IllegalStateException.class);
      assertThat(log.get("y1")).isEmpty();
      log.record(entry("y2", 3000, "extractive", false));
      assertThat(log.list(QueryLog.Query.latest(10))).extracting(l -> l.entry().id()).containsExactly("y2", "x3", "x2", "x1");
    }
  }

  @Test
  void anUpgradedStoreCarriesEachKeysLoggedSpendIntoItsTotalBudget() throws Exception {
    // a store as the release before budgets left it: schema version 4, two answers for key k9
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl("upgrade")); java.sql.Statement st = c.createStatement()) {
      st.executeUpdate("CREATE TABLE groundwork_schema (version INTEGER NOT NULL)");
      for (int v = 1; v <= 4; v++) {
        for (String sql : JdbcStore.MIGRATIONS.get(v - 1)) st.executeUpdate(sql);
        st.executeUpdate("INSERT INTO groundwork_schema (version) VALUES (" + v + ")");
      }
      st.executeUpdate("INSERT INTO queries (id, time_ms, key_id, question, answer, refused, model, fallback, retrieved, citations, input_tokens, "
          + "output_tokens, cost_usd, latency_ms) VALUES ('a', 1, 'k9', 'q', 'a', 0, 'm', 0, '[]', '[]', 1, 1, 0.25, 1), "
          + "('b', 2, 'k9', 'q', 'a', 0, 'm', 0, '[]', '[]', 1, 1, 0.5, 1), ('c', 3, 'k9', 'q', 'a', 0, 'm', 0, '[]', '[]', 1, 1, NULL, 1), "
          + "('d', 4, NULL, 'q', 'a', 0, 'm', 0, '[]', '[]', 1, 1, 9.0, 1)");
    }
    try (JdbcStore store = open("upgrade")) {
      assertThat(store.version()).isEqualTo(JdbcStore.MIGRATIONS.size());
      JdbcBudgetLedger ledger = new JdbcBudgetLedger(store);
      BudgetLimit total = BudgetLimit.key("k9", BudgetPeriod.TOTAL, 1.00);
      assertThat(ledger.spent(total, Instant.now())).isEqualTo(0.75, org.assertj.core.api.Assertions.within(1e-9));
      assertThatThrownBy(() -> ledger.reserve(List.of(total), 0.30, Instant.now())).isInstanceOf(BudgetExceededException.class);
    }
  }

  @Test
  void purgingDeletesEntriesWithTheirFeedbackByIdKeyOrDate() throws Exception {
    try (QueryLog log = new JdbcQueryLog(open("purge"))) {
      log.record(entry("p1", 1000, "extractive", false)); // key k1
      log.record(entry("p2", 2000, "extractive", false));
      QueryLog.Entry other = entry("p3", 3000, "extractive", false);
      log.record(new QueryLog.Entry(other.id(), other.time(), "k2", other.question(), other.answer(), false, other.model(), false, other.retrieved(),
          other.scores(), other.citations(), 1, 1, 0.0, 1, null, null, null, null));
      log.feedback(new QueryLog.Feedback("p1", "up", null, null, Instant.ofEpochMilli(5000)));
      assertThat(log.purge(new QueryLog.Purge("p1", null, null))).isEqualTo(1);
      assertThat(log.get("p1")).isEmpty();
      assertThat(log.list(new QueryLog.Query(null, null, null, "up", null, 10, 0))).as("its feedback went too").isEmpty();
      assertThat(log.purge(new QueryLog.Purge(null, "k1", Instant.ofEpochMilli(1500)))).as("both criteria must match").isZero();
      assertThat(log.purge(new QueryLog.Purge(null, null, Instant.ofEpochMilli(2500)))).isEqualTo(1);
      assertThat(log.purge(new QueryLog.Purge(null, "k2", null))).isEqualTo(1);
      assertThat(log.list(QueryLog.Query.latest(10))).isEmpty();
      assertThatThrownBy(() -> new QueryLog.Purge(null, null, null)).hasMessageContaining("needs a query id, a key or a date");
    }
  }

  @Test
  void keysAreStoredHashedAndRevocable() throws Exception {
    JdbcStore store = open("keys");
    KeyStore keys = new JdbcKeyStore(store);
    KeyStore.Created k = keys.create("ci");
    assertThat(k.secret()).startsWith("gw_" + k.key().id() + "_");
    assertThat(keys.verify(k.secret())).map(KeyStore.Key::name).contains("ci");
    assertThat(keys.verify(k.secret() + "0")).isEmpty();
    assertThat(keys.verify(k.secret().substring(0, k.secret().length() - 1) + (k.secret().endsWith("a") ? "b" : "a"))).isEmpty();
    secretNotStored(k.secret());
    assertThat(keys.verify(k.secret()).orElseThrow().scope()).isEqualTo(KeyStore.Scope.FULL);
    KeyStore.Scope limited = new KeyStore.Scope(List.of("openai:gpt-4.1-mini", "route:support"), true, 2.5);
    KeyStore.Created scoped = keys.create("bot", limited);
    assertThat(keys.verify(scoped.secret()).orElseThrow().scope()).isEqualTo(limited);
    assertThat(keys.list()).filteredOn(x -> x.name().equals("bot")).singleElement().extracting(KeyStore.Key::scope).isEqualTo(limited);
    assertThat(keys.revoke(k.key().id())).isTrue();
    assertThat(keys.verify(k.secret())).isEmpty();
    assertThat(keys.list()).filteredOn(x -> x.name().equals("ci")).singleElement().satisfies(key -> assertThat(key.revoked()).isTrue());
    assertThat(store.version()).isEqualTo(JdbcStore.MIGRATIONS.size());
    store.close();
  }

  /** Checks that the store holds no trace of {@code secret}. */
  @Test
  void budgetReservationsNeverPassALimitFromTwoConnectionsAndOutliveThem() throws Exception {
    Instant day1 = Instant.parse("2026-12-03T10:00:00Z");
    BudgetLimit daily = BudgetLimit.project(BudgetPeriod.DAY, 1.00);
    try (JdbcStore a = open("budget"); JdbcStore b = open("budget")) {
      // two connections on one database stand for two servers sharing it
      List<BudgetLedger> ledgers = List.of(new JdbcBudgetLedger(a), new JdbcBudgetLedger(b));
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
      List<java.util.concurrent.Future<BudgetLedger.Reservation>> calls = new java.util.ArrayList<>();
      for (int i = 0; i < 40; i++) {
        BudgetLedger l = ledgers.get(i % 2);
        calls.add(pool.submit(() -> {
          try {
            return l.reserve(List.of(daily), 0.10, day1);
          } catch (BudgetExceededException e) {
            assertThat(e.limit()).isEqualTo(daily);
            assertThat(e.resetsAt()).isEqualTo(Instant.parse("2026-12-04T00:00:00Z"));
            return null;
          }
        }));
      }
      List<BudgetLedger.Reservation> granted = new java.util.ArrayList<>();
      for (var f : calls) if (f.get() != null) granted.add(f.get());
      pool.shutdown();
      assertThat(granted).as("$1.00 holds exactly ten reservations of $0.10").hasSize(10);
      assertThat(ledgers.get(1).spent(daily, day1)).isEqualTo(1.00, org.assertj.core.api.Assertions.within(1e-9));
      // five calls cost less than reserved: the difference comes back
      for (int i = 0; i < 5; i++) ledgers.get(i % 2).settle(granted.get(i), 0.05);
      assertThat(ledgers.get(0).spent(daily, day1)).isEqualTo(0.75, org.assertj.core.api.Assertions.within(1e-9));
      // all or nothing: a monthly limit that does not fit leaves the daily one untouched
      BudgetLimit monthly = BudgetLimit.project(BudgetPeriod.MONTH, 0.05);
      assertThatThrownBy(() -> ledgers.get(0).reserve(List.of(daily, monthly), 0.10, day1)).isInstanceOf(BudgetExceededException.class)
          .hasMessageContaining("the project's monthly budget of $0.05");
      assertThat(ledgers.get(0).spent(daily, day1)).isEqualTo(0.75, org.assertj.core.api.Assertions.within(1e-9));
      assertThat(ledgers.get(0).spent(monthly, day1)).isZero();
    }
    try (JdbcStore again = open("budget")) {
      JdbcBudgetLedger l = new JdbcBudgetLedger(again);
      assertThat(l.spent(daily, day1)).as("kept across a reopen").isEqualTo(0.75, org.assertj.core.api.Assertions.within(1e-9));
      assertThat(l.spent(daily, Instant.parse("2026-12-04T00:00:01Z"))).as("a new day starts at zero").isZero();
      BudgetLimit keyTotal = BudgetLimit.key("k1", BudgetPeriod.TOTAL, 0.25);
      l.reserve(List.of(keyTotal), 0.25, day1);
      assertThatThrownBy(() -> l.reserve(List.of(keyTotal), 0.000001, day1)).isInstanceOf(BudgetExceededException.class)
          .hasMessageContaining("key k1's total budget of $0.25").hasMessageContaining("never resets");
    }
  }

  abstract void secretNotStored(String secret) throws Exception;
}
