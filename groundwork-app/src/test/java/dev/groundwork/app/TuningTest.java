package dev.groundwork.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.testkit.FakeTogetherTuningServer;
import dev.groundwork.tuning.jobs.TuningJob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Together's fine-tuning API, as its fake speaks it over a socket, through the project's jobs. */
class TuningTest {
  @TempDir Path root;

  static final String LINE = "{\"messages\": [{\"role\": \"user\", \"content\": \"Which port %d?\"}, {\"role\": \"assistant\", \"content\": \"8089 [1].\"}]}\n";

  @Test
  void aTogetherJobRunsThroughItsStatesAndItsFailuresAreReported() throws Exception {
    try (FakeTogetherTuningServer api = new FakeTogetherTuningServer(); Project p = Project.open(root, false)
        .withEnv(Map.of("TOGETHER_API_KEY", "tg-key", "TOGETHER_BASE_URL", api.baseUrl()))) {
      Path train = root.resolve("train.jsonl");
      Files.writeString(train, LINE.formatted(1) + LINE.formatted(2));
      List<Long> slept = new ArrayList<>();
      Tuning t = new Tuning(p, Clock.systemUTC(), slept::add);
      api.serverErrorsFirst = 2; // two 503s: retried with backoff
      TuningJob job = t.start("together", "meta-llama/Llama-3.2-3B-Instruct", train, null, "sft", 2, "support", null);
      assertThat(slept).containsExactly(1000L, 2000L);
      assertThat(api.requests).contains("POST /v1/files/upload", "POST /v1/fine-tunes");
      assertThat(new String(api.files.values().iterator().next(), StandardCharsets.UTF_8)).isEqualTo(Files.readString(train));
      assertThat(job.status()).isEqualTo("queued");
      List<String> seen = new ArrayList<>();
      TuningJob done = t.await(job.id(), Duration.ofMillis(1), j -> seen.add(j.status()));
      assertThat(seen).containsExactly("queued", "running", "succeeded");
      assertThat(done.fineTunedModel()).isEqualTo("groundwork/Llama-3.2-3B-Instruct-support-" + job.id());
      assertThat(done.events()).last().asString().contains("completed");
      assertThat(done.version()).startsWith("model-");
      var v = new dev.groundwork.app.versions.ProjectVersions(p, Clock.systemUTC()).registry().get(done.version());
      assertThat(v.inputs()).containsEntry("job", job.id());
      assertThat(v.settings()).containsEntry("provider", "together").doesNotContainKey("retires");
      assertThat(t.status(job.id()).version()).as("registered once").isEqualTo(done.version());
      // the same file is not uploaded again for the next job
      TuningJob second = t.start("together", "meta-llama/Llama-3.2-3B-Instruct", train, null, "sft", null, null, null);
      assertThat(api.files).hasSize(1);
      assertThat(t.cancel(second.id()).status()).isEqualTo("cancelled");
      assertThatThrownBy(() -> t.cancel(second.id())).isInstanceOf(ConflictException.class);
      api.failJobs = true;
      TuningJob third = t.start("together", "meta-llama/Llama-3.2-3B-Instruct", train, null, "sft", null, null, null);
      TuningJob failed = t.await(third.id(), Duration.ofMillis(1), j -> {});
      assertThat(failed.status()).isEqualTo("failed");
      assertThat(failed.error()).contains("longer than the context length");
      assertThat(t.list()).extracting(TuningJob::id).containsExactlyInAnyOrder(job.id(), second.id(), third.id());
    }
  }

  @Test
  void noKeyIsAConfigurationErrorAndNothingIsSent() throws Exception {
    try (FakeTogetherTuningServer api = new FakeTogetherTuningServer(); Project p = Project.open(root, false).withEnv(Map.of("TOGETHER_BASE_URL", api.baseUrl()))) {
      Path train = root.resolve("train.jsonl");
      Files.writeString(train, LINE.formatted(1));
      assertThatThrownBy(() -> new Tuning(p, Clock.systemUTC(), ms -> {}).start("together", "m", train, null, "sft", null, null, null))
          .isInstanceOf(ConfigException.class).hasMessageContaining("TOGETHER_API_KEY");
      assertThat(api.requests).isEmpty();
      assertThatThrownBy(() -> new Tuning(p, Clock.systemUTC(), ms -> {}).start("fireworks", "m", train, null, "sft", null, null, null))
          .hasMessageContaining("together, openai or local; fireworks is not built yet");
    }
  }
}
