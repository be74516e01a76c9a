package dev.groundwork.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;

class SqliteStoreTest extends StoreContract {
  @Override
  JdbcStore open(String name) {
    return JdbcStore.sqlite(dir.resolve(name + ".db"));
  }

  @Override
  String jdbcUrl(String name) {
    return "jdbc:sqlite:" + dir.resolve(name + ".db");
  }

  @Override
  void secretNotStored(String secret) throws Exception {
    try (var files = Files.list(dir)) {
      for (var f : files.toList()) assertThat(Files.readAllBytes(f)).asString().doesNotContain(secret);
    }
  }
}
