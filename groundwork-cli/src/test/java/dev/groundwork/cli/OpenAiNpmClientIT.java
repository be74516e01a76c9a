package dev.groundwork.cli;

import dev.groundwork.app.Project;
import dev.groundwork.app.ProjectAnswering;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.server.GroundworkServer;
import dev.groundwork.store.jdbc.JdbcKeyStore;
import dev.groundwork.store.jdbc.JdbcQueryLog;
import dev.groundwork.store.jdbc.JdbcStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official `openai` npm client against `groundwork serve`: non-streaming, streaming, and a bad
 * key (401 in OpenAI's error shape). Needs node and `npm install` in src/test/npm (.ci/run does it);
 * skips without them, except in CI.
 */
class OpenAiNpmClientIT {
  @TempDir Path project;

  @Test
  void theOfficialClientWorksUnchanged() throws Exception {
    Path npm = Path.of("src/test/npm").toAbsolutePath();
    boolean ready = Files.isDirectory(npm.resolve("node_modules/openai"));
    if (System.getenv("CI") == null) assumeTrue(ready, "run `npm install --prefix groundwork-cli/src/test/npm` to run this test");
    assertThat(ready).as("CI must install the openai npm client (.ci/run)").isTrue();

    Files.createDirectories(project.resolve("docs"));
    Files.writeString(project.resolve("docs/ports.md"), "# Ports\n\nThe alpha service listens on port 4242.\n");
    assertThat(Cli.run("ingest", "-C", project.toString(), "docs").code()).isZero();
    try (Project p = Project.open(project, false); JdbcStore store = p.openStore()) {
      String key = new JdbcKeyStore(store).create("npm").secret();
      try (GroundworkServer server = GroundworkServer.builder().answering(new ProjectAnswering(p)).queryLog(new JdbcQueryLog(store))
          .keys(new JdbcKeyStore(store)).port(0).build().start()) {
        ProcessBuilder pb = new ProcessBuilder("node", "compat.mjs").directory(npm.toFile()).redirectErrorStream(true);
        pb.environment().put("GW_BASE_URL", "http://127.0.0.1:" + server.port() + "/v1");
        pb.environment().put("GW_KEY", key);
        Process proc = pb.start();
        String output = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(proc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(proc.exitValue()).as(output).isZero();
        String[] lines = output.strip().split("\n");
        JsonNode r = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(r.path("content").asText()).contains("4242");
        assertThat(r.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(r.path("citations").get(0).asText()).isEqualTo("docs/ports.md");
        assertThat(r.path("streamed").asText()).isEqualTo(r.path("content").asText());
        assertThat(r.path("stream_usage").asBoolean()).isTrue();
        assertThat(r.path("bad_key").path("status").asInt()).isEqualTo(401);
        assertThat(r.path("bad_key").path("code").asText()).isEqualTo("invalid_api_key");
      }
    }
  }
}
