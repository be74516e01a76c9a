package dev.groundwork.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 while keys are being created: after a restart, every key whose creation was acknowledged
 * (create() returned) still verifies, and the database opens cleanly.
 */
class KeyStoreCrashTest {
  @TempDir Path dir;

  /** The child process: creates keys as fast as it can and prints each secret once create() has returned. */
  public static void main(String[] args) {
    try (JdbcStore store = JdbcStore.sqlite(Path.of(args[0]))) {
      JdbcKeyStore keys = new JdbcKeyStore(store);
      for (int i = 0; ; i++) {
        System.out.println(keys.create("key-" + i).secret());
        System.out.flush();
      }
    }
  }

  @Test
  void everyAcknowledgedKeySurvivesAKill() throws Exception {
    Path db = dir.resolve("groundwork.db");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), KeyStoreCrashTest.class.getName(), db.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<String> acknowledged = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (acknowledged.size() < 40 && (line = out.readLine()) != null) acknowledged.add(line);
      child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no close
      child.waitFor();
    }
    assertThat(acknowledged).as("the child created keys before it was killed").hasSize(40);
    try (JdbcStore store = JdbcStore.sqlite(db)) {
      JdbcKeyStore keys = new JdbcKeyStore(store);
      for (String secret : acknowledged) assertThat(keys.verify(secret)).as("acknowledged key " + secret.substring(0, 15)).isPresent();
      assertThat(keys.list().size()).isGreaterThanOrEqualTo(40);
      assertThat(keys.create("after-restart").secret()).startsWith("gw_");
    }
  }
}
