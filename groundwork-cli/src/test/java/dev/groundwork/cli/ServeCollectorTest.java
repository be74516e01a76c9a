package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** `bench gateway` measures the server with the collector `groundwork serve` gets from the launcher, not its own. */
class ServeCollectorTest {
  @Test
  void theGatewayBenchmarkRunsTheServerWithTheLaunchersServeCollector() throws Exception {
    String launcher = Files.readString(Path.of("..", "groundwork"));
    String serveLine = launcher.lines().filter(l -> l.strip().startsWith("serve)")).findFirst().orElseThrow(() -> new AssertionError("no serve) profile in the launcher"));
    assertThat(serveLine).contains(BenchGatewayCommand.SERVE_COLLECTOR);
    // and the other long commands keep their own collector
    String longLine = launcher.lines().filter(l -> l.strip().startsWith("*)") && l.contains("profile=long")).findFirst().orElseThrow();
    assertThat(longLine).doesNotContain(BenchGatewayCommand.SERVE_COLLECTOR);
  }
}
