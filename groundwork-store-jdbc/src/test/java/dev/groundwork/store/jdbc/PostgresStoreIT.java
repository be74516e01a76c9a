package dev.groundwork.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;

/**
 * The same contract on a real PostgreSQL server: GROUNDWORK_TEST_PG_URL (which .ci/run sets after
 * starting one with bin/test-postgres.sh). Each test gets its own schema. Skips without the URL,
 * except in CI, where it fails.
 */
class PostgresStoreIT extends StoreContract {
  String url;
  String schema;

  @BeforeEach
  void schema() throws Exception {
    url = System.getenv("GROUNDWORK_TEST_PG_URL");
    if (System.getenv("CI") == null) assumeTrue(url != null, "GROUNDWORK_TEST_PG_URL not set; run: eval \"$(bin/test-postgres.sh)\"");
    assertThat(url).as("CI must start PostgreSQL (bin/test-postgres.sh) and set GROUNDWORK_TEST_PG_URL").isNotNull();
    schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
  }

  @Override
  JdbcStore open(String name) throws Exception {
    return JdbcStore.open(jdbcUrl(name), null, null);
  }

  @Override
  String jdbcUrl(String name) throws Exception {
    String s = schema + "_" + name;
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS " + s);
    }
    return url + "&currentSchema=" + s;
  }

  @Override
  void secretNotStored(String secret) throws Exception {
    try (Connection c = DriverManager.getConnection(url + "&currentSchema=" + schema + "_keys"); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM api_keys")) {
      while (rs.next()) {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) assertThat(String.valueOf(rs.getObject(i))).doesNotContain(secret);
      }
    }
  }
}
