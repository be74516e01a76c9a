package dev.groundwork.store.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A JDBC database holding the query log and the API keys. One connection, used under a lock
 * (SQLite allows one writer; the log's write rate is a few per second). The schema is versioned in
 * {@code groundwork_schema}; each migration runs once, in a transaction, in order. Thread-safe.
 */
public final class JdbcStore implements AutoCloseable {
  /** The migrations, in order; version n is {@code MIGRATIONS.get(n - 1)}. Never edit one that has shipped. */
  static final List<List<String>> MIGRATIONS = List.of(List.of(
      """
      CREATE TABLE queries (
        id VARCHAR(64) PRIMARY KEY, time_ms BIGINT NOT NULL, key_id VARCHAR(64), question TEXT NOT NULL, answer TEXT NOT NULL,
        refused INTEGER NOT NULL, model VARCHAR(200) NOT NULL, fallback INTEGER NOT NULL, retrieved TEXT NOT NULL, citations TEXT NOT NULL,
        input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL, cost_usd DOUBLE PRECISION, latency_ms BIGINT NOT NULL,
        prompt_version VARCHAR(64), error TEXT)""",
      "CREATE INDEX queries_time ON queries (time_ms)",
      """
      CREATE TABLE feedback (
        query_id VARCHAR(64) NOT NULL, time_ms BIGINT NOT NULL, rating VARCHAR(8) NOT NULL, corrected_answer TEXT, comment TEXT)""",
      "CREATE INDEX feedback_query ON feedback (query_id)",
      """
      CREATE TABLE api_keys (
        id VARCHAR(64) PRIMARY KEY, name VARCHAR(200) NOT NULL, hash VARCHAR(128) NOT NULL, created_ms BIGINT NOT NULL, revoked INTEGER NOT NULL)"""),
      // 2: scoped keys (null: full access), and a per-key index for budgets
      List.of("ALTER TABLE api_keys ADD COLUMN scope TEXT", "CREATE INDEX queries_key ON queries (key_id)"),
      // 3: what a route did (JSON), null for answers no route gave
      List.of("ALTER TABLE queries ADD COLUMN route TEXT"),
      // 4: the standalone query a conversation's follow-up became, null for single questions
      List.of("ALTER TABLE queries ADD COLUMN rewritten_query TEXT"),
      // 5: spending against budgets, in whole nano-dollars per scope (project, key:ID) and period
      // (2026-12-03, 2026-12, total); keys' total budgets start from what the log says they spent
      List.of("""
          CREATE TABLE budget_spend (
            scope VARCHAR(200) NOT NULL, period VARCHAR(32) NOT NULL, spent_nanos BIGINT NOT NULL, PRIMARY KEY (scope, period))""",
          """
          INSERT INTO budget_spend (scope, period, spent_nanos)
            SELECT 'key:' || key_id, 'total', CAST(ROUND(SUM(cost_usd) * 1000000000) AS BIGINT) FROM queries
            WHERE key_id IS NOT NULL AND cost_usd IS NOT NULL GROUP BY key_id"""));

  private final Connection conn;
  private final String url;

  private JdbcStore(Connection conn, String url) {
    this.conn = conn;
    this.url = url;
  }

  /** A SQLite file, created when missing, synced to disk at every commit. */
  public static JdbcStore sqlite(Path file) {
    return sqlite(file, true);
  }

  /**
   * A SQLite file, created when missing, in WAL mode.
   *
   * @param fullSync true: {@code synchronous=FULL}, the WAL is synced to disk at every commit, so a
   *     commit survives a power loss; false: {@code synchronous=NORMAL}, a commit survives the process
   *     being killed (it is in the operating system's page cache) but the last ones may be lost if the
   *     machine loses power
   */
  public static JdbcStore sqlite(Path file, boolean fullSync) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot create " + file.getParent() + ": " + e.getMessage(), e);
    }
    JdbcStore s = open("jdbc:sqlite:" + file.toAbsolutePath(), null, null);
    s.exec("PRAGMA journal_mode=WAL");
    // FULL syncs the write-ahead log at every commit: a committed answer survives power loss, not only
    // a crash of the process. The server's log does not wait for these commits: its journal
    // (JournaledQueryLog) holds an answer first, and the database takes entries in batches.
    s.exec(fullSync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    s.exec("PRAGMA busy_timeout=5000");
    return s;
  }

  /** Any JDBC URL (PostgreSQL: {@code jdbc:postgresql://host/db}). */
  public static JdbcStore open(String url, String user, String password) {
    try {
      Connection c = DriverManager.getConnection(url, user, password);
      JdbcStore s = new JdbcStore(c, url);
      s.migrate();
      return s;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open the query log at " + redact(url) + ": " + e.getMessage(), e);
    }
  }

  static String redact(String url) {
    return url.replaceAll("password=[^&]*", "password=***");
  }

  public String url() {
    return redact(url);
  }

  /** The schema version after migration. */
  public synchronized int version() {
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT MAX(version) FROM groundwork_schema")) {
      return rs.next() ? rs.getInt(1) : 0;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private synchronized void migrate() throws SQLException {
    try (Statement st = conn.createStatement()) {
      st.executeUpdate("CREATE TABLE IF NOT EXISTS groundwork_schema (version INTEGER NOT NULL)");
    }
    int have = version();
    if (have > MIGRATIONS.size()) {
      throw new IllegalStateException("the query log at " + redact(url) + " has schema version " + have + ", newer than this Groundwork ("
          + MIGRATIONS.size() + "); upgrade Groundwork");
    }
    for (int v = have + 1; v <= MIGRATIONS.size(); v++) {
      conn.setAutoCommit(false);
      try (Statement st = conn.createStatement()) {
        for (String sql : MIGRATIONS.get(v - 1)) st.executeUpdate(sql);
        st.executeUpdate("INSERT INTO groundwork_schema (version) VALUES (" + v + ")");
        conn.commit();
      } catch (SQLException e) {
        conn.rollback();
        throw e;
      } finally {
        conn.setAutoCommit(true);
      }
    }
  }

  private synchronized void exec(String sql) {
    try (Statement st = conn.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code work} on the connection under the store's lock. */
  synchronized <T> T with(SqlWork<T> work) {
    try {
      return work.run(conn);
    } catch (SQLException e) {
      throw new IllegalStateException("query log: " + e.getMessage(), e);
    }
  }

  /** Runs {@code work} in one transaction under the store's lock: committed whole, or rolled back. */
  synchronized <T> T inTransaction(SqlWork<T> work) {
    try {
      conn.setAutoCommit(false);
      try {
        T t = work.run(conn);
        conn.commit();
        return t;
      } catch (SQLException | RuntimeException e) {
        conn.rollback();
        throw e;
      } finally {
        conn.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("query log: " + e.getMessage(), e);
    }
  }

  interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  @Override
  public synchronized void close() {
    try {
      conn.close();
    } catch (SQLException e) {
      // closing
    }
  }
}
