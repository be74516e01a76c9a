package dev.groundwork.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.ingest.IngestListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectAnsweringTest {
  @TempDir Path root;

  @Test
  void aRouteWhoseModelHasNoKeyDoesNotKeepTheServerFromStarting() throws Exception {
    // the demo's configuration offline: the extractive answerer, and a route to a hosted model without a key
    Files.createDirectories(root.resolve("docs"));
    Files.writeString(root.resolve("docs/retries.md"), "# Retries\n\nA job gets 5 attempts in total before the dead-letter queue.\n");
    Files.writeString(root.resolve("groundwork.yaml"), "routes:\n  support:\n    models: [extractive, \"openai:gpt-4.1-mini\"]\n");
    try (Project w = Project.open(root, true)) {
      w.ingestPipeline(IngestListener.NONE).ingestPaths(List.of("docs"));
    }
    try (Project p = Project.open(root, false).withEnv(Map.of())) {
      ProjectAnswering a = new ProjectAnswering(p);
      a.warm();
      assertThat(a.models()).contains("extractive", "route:support");
      assertThat(a.ask("extractive", "How many attempts does a job get?", 3, null).text()).contains("5 attempts");
      assertThatThrownBy(() -> a.ask("route:support", "How many attempts does a job get?", 3, null)).hasMessageContaining("OPENAI_API_KEY");
    }
  }
}
