package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `bench startup` times real processes of the CLI, plain and with a class cache, and reports both. */
class BenchStartupIT {
  @TempDir Path dir;

  @Test
  void timesEachCommandAsWholeProcessesWithAndWithoutTheCache() throws Exception {
    Files.createDirectories(dir.resolve("docs"));
    Files.writeString(dir.resolve("docs/retention.md"), "# Retention\n\nDead jobs are kept for 30 days.\n");
    assertThat(Cli.run("ingest", "-C", dir.toString(), "docs").code()).isZero();

    Cli c = Cli.run("bench", "startup", "-C", dir.toString(), "--runs", "1", "--json");
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(c.out()).contains("plain ms", "cached ms", "ratio");
    JsonNode j = c.lastLineJson();
    assertThat(j.path("commands").findValuesAsText("command")).containsExactly("search", "ask", "keys list", "models list", "--version");
    for (JsonNode r : j.path("commands")) {
      assertThat(r.path("failures").asInt()).as(r.toString()).isZero();
      // a JVM start with the project's classes takes well over 50 ms; a process that never ran would not
      assertThat(r.path("plain_ms").asDouble()).as(r.toString()).isGreaterThan(50);
      assertThat(r.path("cached_ms").asDouble()).as(r.toString()).isGreaterThan(50);
      assertThat(r.path("ratio").asDouble()).isCloseTo(r.path("cached_ms").asDouble() / r.path("plain_ms").asDouble(),
          org.assertj.core.api.Assertions.within(1e-3));
    }
    // the cache was made by the training run, where the bench said it would be
    String cache = Runtime.version().feature() >= 25 ? "startup.aot" : "startup.jsa";
    assertThat(dir.resolve(".groundwork/bench/startup").resolve(cache)).isNotEmptyFile();
  }
}
