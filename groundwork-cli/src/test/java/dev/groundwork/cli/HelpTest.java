package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command answers --help with its usage and an example, and exits 0. */
class HelpTest {
  @ParameterizedTest
  @ValueSource(strings = {"init", "ingest", "search", "ask", "eval", "serve", "keys", "log", "log export", "models", "models list", "models pull", "demo", "cost", "router", "router train", "bench beir", "bench squad", "bench router", "bench gateway", "bench startup", "bench http", "versions"})
  void everyCommandHasHelpWithAnExample(String command) {
    String[] args = (command + " --help").split(" ");
    Cli c = Cli.run(args);
    assertThat(c.code()).isZero();
    assertThat(c.out()).startsWith("Usage: groundwork " + command).contains("Example:");
  }

  @ParameterizedTest
  @ValueSource(strings = {"--help", "--version"})
  void theTopLevelCommandHasHelpAndVersion(String flag) {
    Cli c = Cli.run(flag);
    assertThat(c.code()).isZero();
    assertThat(c.out()).containsAnyOf("Usage: groundwork", "groundwork ");
  }
}
