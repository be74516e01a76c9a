package dev.groundwork.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.testkit.FakeFireworksTuningServer;
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

/** Together's and Fireworks' fine-tuning APIs, as their fakes speak them over a socket, through the project's jobs. */
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
  void aFireworksJobGoesThroughItsDatasetAndItsStatesAndIsServedAsAFireworksModel() throws Exception {
    try (FakeFireworksTuningServer api = new FakeFireworksTuningServer("acme"); Project p = Project.open(root, false)
        .withEnv(Map.of("FIREWORKS_API_KEY", "fw-key", "FIREWORKS_API_URL", api.baseUrl(), "FIREWORKS_ACCOUNT_ID", "acme"))) {
      Path train = root.resolve("train.jsonl");
      Files.writeString(train, LINE.formatted(1) + LINE.formatted(2));
      List<Long> slept = new ArrayList<>();
      Tuning t = new Tuning(p, Clock.systemUTC(), slept::add);
      api.rateLimitEvery = 4; // a 429 with Retry-After: 0 now and then, waited out
      TuningJob job = t.start("fireworks", "accounts/fireworks/models/llama-v3p1-8b-instruct", train, null, "sft", 2, "Support v1", null);
      assertThat(job.id()).startsWith("sftj-");
      // the dataset record, its file as multipart, read until READY; then the job on it
      assertThat(api.requests).containsSubsequence("POST /v1/accounts/acme/datasets", "POST /v1/accounts/acme/datasets/" + api.datasets.keySet().iterator().next()
          + ":upload", "POST /v1/accounts/acme/supervisedFineTuningJobs");
      assertThat(new String(api.files.values().iterator().next(), StandardCharsets.UTF_8)).isEqualTo(Files.readString(train));
      assertThat(slept).contains(0L);
      List<String> seen = new ArrayList<>();
      TuningJob done = t.await(job.id(), Duration.ofMillis(1), j -> seen.add(j.status()));
      assertThat(seen).containsExactly("queued", "running", "succeeded");
      assertThat(done.fineTunedModel()).isEqualTo("accounts/acme/models/support-v1");
      assertThat(done.trainedTokens()).isEqualTo(2400);
      assertThat(done.events()).last().asString().contains("JOB_STATE_COMPLETED").contains("100%");
      var versions = new dev.groundwork.app.versions.ProjectVersions(p, Clock.systemUTC()).registry();
      java.nio.file.Path model = versions.artifact(versions.get(done.version()));
      assertThat(Files.readString(model)).contains("\"fireworks:accounts/acme/models/support-v1\"");

      // the same file is not sent again; a job stopped by DELETE is cancelled; one the provider lost is reported
      TuningJob second = t.start("fireworks", "accounts/fireworks/models/llama-v3p1-8b-instruct", train, null, "sft", null, null, null);
      assertThat(api.requests.stream().filter(r -> r.endsWith(":upload"))).hasSize(1);
      assertThat(t.cancel(second.id()).status()).isEqualTo("cancelled");
      TuningJob third = t.start("fireworks", "accounts/fireworks/models/llama-v3p1-8b-instruct", train, null, "sft", null, null, null);
      api.forget(third.id().substring(5));
      assertThat(t.status(third.id()).error()).contains("no longer knows this job");

      // preference pairs go to a DPO job; a failed job carries Fireworks' message
      Path pairs = root.resolve("pairs.jsonl");
      // as Fireworks' DPO format (and OpenAI's) writes a pair: input.messages, preferred_output, non_preferred_output
      Files.writeString(pairs, "{\"input\": {\"messages\": [{\"role\": \"user\", \"content\": \"Which port?\"}]}, "
          + "\"preferred_output\": [{\"role\": \"assistant\", \"content\": \"8089 [1].\"}], "
          + "\"non_preferred_output\": [{\"role\": \"assistant\", \"content\": \"9000.\"}]}\n");
      TuningJob dpo = t.start("fireworks", "accounts/fireworks/models/llama-v3p1-8b-instruct", pairs, null, "dpo", 1, "pairs", null);
      assertThat(dpo.id()).startsWith("dpoj-");
      assertThat(api.requests).contains("POST /v1/accounts/acme/dpoJobs");
      assertThat(t.await(dpo.id(), Duration.ofMillis(1), j -> {}).fineTunedModel()).isEqualTo("accounts/acme/models/pairs");
      api.failJobs = true;
      TuningJob failing = t.start("fireworks", "accounts/fireworks/models/llama-v3p1-8b-instruct", train, null, "sft", null, null, null);
      TuningJob failed = t.await(failing.id(), Duration.ofMillis(1), j -> {});
      assertThat(failed.status()).isEqualTo("failed");
      assertThat(failed.error()).contains("longer than maxContextLength");
    }
  }

  @Test
  void fireworksNeedsAnAccountAndAKeyAndSendsNothingWithout() throws Exception {
    try (FakeFireworksTuningServer api = new FakeFireworksTuningServer("acme"); Project p = Project.open(root, false)
        .withEnv(Map.of("FIREWORKS_API_KEY", "fw-key", "FIREWORKS_API_URL", api.baseUrl()))) {
      Path train = root.resolve("train.jsonl");
      Files.writeString(train, LINE.formatted(1));
      Tuning t = new Tuning(p, Clock.systemUTC(), ms -> {});
      assertThatThrownBy(() -> t.start("fireworks", "m", train, null, "sft", null, null, null)).isInstanceOf(ConfigException.class)
          .hasMessageContaining("FIREWORKS_ACCOUNT_ID");
      Tuning bad = new Tuning(p.withEnv(Map.of("FIREWORKS_API_KEY", "k", "FIREWORKS_API_URL", api.baseUrl(), "FIREWORKS_ACCOUNT_ID", "Acme/../x")),
          Clock.systemUTC(), ms -> {});
      assertThatThrownBy(() -> bad.start("fireworks", "m", train, null, "sft", null, null, null)).isInstanceOf(ConfigException.class)
          .hasMessageContaining("not a Fireworks account id");
      assertThat(api.requests).isEmpty();
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
      assertThatThrownBy(() -> new Tuning(p, Clock.systemUTC(), ms -> {}).start("mistral", "m", train, null, "sft", null, null, null))
          .hasMessageContaining("together, fireworks, openai or local");
    }
  }

  @Test
  void aLocalJobStartedTwiceInTheSameSecondGetsItsOwnFolderAndDoesNotInheritTheFirstOnesOutput() throws Exception {
    Path trainer = root.resolve("trainer.sh");
    // the first run leaves a file named like a model; the second leaves nothing
    Files.writeString(trainer, "mkdir -p \"$2\"; if [ \"$3\" = first ]; then echo junk > \"$2/model.gguf\"; fi\n");
    Path train = root.resolve("train.jsonl");
    Files.writeString(train, "{\"id\": \"log:q1\", \"task\": \"grounded-qa\", " + LINE.formatted(1).substring(1));
    Clock fixed = Clock.fixed(java.time.Instant.parse("2026-12-04T10:00:00Z"), java.time.ZoneOffset.UTC);
    Files.writeString(root.resolve("groundwork.yaml"), "tuning: {local: {command: [bash, \"" + trainer + "\", \"{config}\", \"{output}\", first]}}\n");
    try (Project p = Project.open(root, false)) {
      TuningJob first = new Tuning(p, fixed, ms -> {}).start("local", "base", train, null, "sft", null, null, null);
      assertThat(first.error()).contains("not a readable GGUF");
    }
    Files.writeString(root.resolve("groundwork.yaml"), "tuning: {local: {command: [bash, \"" + trainer + "\", \"{config}\", \"{output}\", second]}}\n");
    try (Project p = Project.open(root, false)) {
      Tuning t = new Tuning(p, fixed, ms -> {});
      TuningJob second = t.start("local", "base", train, null, "sft", null, null, null);
      assertThat(second.error()).contains("left no .gguf");
      assertThat(t.list()).extracting(TuningJob::id).hasSize(2).doesNotHaveDuplicates();
    }
  }
}
