package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ./groundwork launcher as a user runs it: it finds this JDK, records a class cache on the first
 * project command and uses it afterwards, and neither adds a byte to stdout nor an AOT warning to stderr.
 */
class LauncherIT {
  @TempDir Path project;

  record Run(int code, String out, String err) {}

  static Run launch(String... args) throws Exception {
    Path launcher = Path.of("..", "groundwork").toAbsolutePath().normalize();
    ProcessBuilder pb = new ProcessBuilder(launcher.toString());
    pb.command().addAll(List.of(args));
    pb.environment().put("GROUNDWORK_NO_BUILD", "1"); // the jar was just packaged by this build
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    var err = new java.io.ByteArrayOutputStream();
    Thread t = Thread.ofVirtual().start(() -> {
      try {
        p.getErrorStream().transferTo(err);
      } catch (java.io.IOException ignored) {
        // the process ended
      }
    });
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    t.join();
    return new Run(code, out, err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theFirstProjectCommandRecordsAClassCacheAndLaterOnesUseItWithCleanOutput() throws Exception {
    Files.createDirectories(project.resolve("docs"));
    Files.writeString(project.resolve("docs/retention.md"), "# Retention\n\nDead jobs are kept for 30 days.\n");
    assertThat(Cli.run("ingest", "-C", project.toString(), "docs").code()).isZero();
    Path cache = Path.of("target", "groundwork-jdk" + Runtime.version().feature() + "-short.aot");
    Files.deleteIfExists(cache);

    Run first = launch("search", "-C", project.toString(), "--json", "dead jobs");
    assertThat(first.code()).as(first.err()).isZero();
    // strict: a stray line after the document (the JVM announcing its AOT recording, say) fails here
    ObjectMapper json = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    assertThat(json.readTree(first.out()).path("hits").get(0).path("source").asText()).as("stdout is the JSON document alone").isEqualTo("docs/retention.md");
    if (Runtime.version().feature() >= 25) {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!Files.isRegularFile(cache) && System.nanoTime() < deadline) Thread.sleep(200);
      assertThat(cache).as("assembled in the background after the first search").isNotEmptyFile();
    }
    Run second = launch("search", "-C", project.toString(), "--json", "dead jobs");
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(json.readTree(second.out()).path("hits")).isEqualTo(json.readTree(first.out()).path("hits"));
    assertThat(first.err() + second.err()).doesNotContain("[aot]", "[cds]", "AOTCache", "AOTConfiguration", "error");

    Run version = launch("--version");
    assertThat(version.out()).startsWith("groundwork ");
  }
}
