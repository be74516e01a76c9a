package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.testkit.FakeFineTuningServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuning jobs against OpenAI's fine-tuning API as a fake speaks it over a socket: multipart
 * upload once, every job state in order, 429 with Retry-After, a failed job, a cancelled one, one the
 * provider deleted, bad files.
 */
class TuneJobsIT {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path project;

  static final String EXAMPLE = """
      {"id": "log:q%d", "task": "grounded-qa", "messages": [{"role": "system", "content": "Answer from the sources."}, \
      {"role": "user", "content": "[1] docs/ports.md\\n| The admin dashboard listens on port 8089.\\n\\nQuestion: Which port %d?"}, \
      {"role": "assistant", "content": "Port 8089 [1]."}], "metadata": {"source": "log", "query_id": "q%d"}}
      """;

  @Test
  void startUploadsOnceWaitsThroughEveryStateAndPrintsTheModel() throws Exception {
    try (FakeFineTuningServer api = new FakeFineTuningServer()) {
      Files.writeString(project.resolve("groundwork.yaml"), "models:\n  openai: {base_url: \"" + api.baseUrl() + "\", api_key: \"sk-test\"}\n");
      Path data = project.resolve("data.jsonl");
      Files.writeString(data, EXAMPLE.formatted(1, 1, 1) + EXAMPLE.formatted(2, 2, 2));

      Cli start = Cli.run("tune", "start", "-C", project.toString(), "--provider", "openai", "--model", "gpt-4.1-mini-2025-04-14", "--dataset", data.toString(), "--suffix", "support",
          "--epochs", "2");
      assertThat(start.code()).as(start.err()).isZero();
      String job = start.out().strip();
      assertThat(job).startsWith("ftjob-");
      assertThat(start.err()).contains("no new fine-tuning jobs after 2027-01-06");
      // what was uploaded is chat lines only, as OpenAI's format takes them
      assertThat(api.files).hasSize(1);
      String sent = new String(api.files.values().iterator().next(), StandardCharsets.UTF_8);
      for (String line : sent.strip().split("\n")) assertThat(JSON.readTree(line).fieldNames()).toIterable().containsExactly("messages");
      assertThat(api.requests).contains("POST /v1/files", "POST /v1/fine_tuning/jobs");

      // the same dataset again: nothing is uploaded twice
      Cli again = Cli.run("tune", "start", "-C", project.toString(), "--provider", "openai", "--model", "gpt-4.1-mini-2025-04-14", "--dataset", data.toString());
      assertThat(again.code()).as(again.err()).isZero();
      assertThat(api.files).hasSize(1);
      assertThat(api.requests.stream().filter(r -> r.equals("POST /v1/files"))).hasSize(1);

      // one 429 with Retry-After on the way: waited out, not an error
      api.rateLimitFirst = api.requests.size() + 1;
      Cli waited = Cli.run("tune", "wait", "-C", project.toString(), job, "--poll-s", "0");
      assertThat(waited.code()).as(waited.err()).isZero();
      assertThat(waited.out().strip()).isEqualTo("ft:gpt-4.1-mini-2025-04-14:groundwork:support:" + job.substring(6));
      assertThat(waited.err()).contains("queued").contains("running").contains("succeeded");
      JsonNode stored = JSON.readTree(project.resolve(".groundwork/tuning/jobs/" + job + ".json").toFile());
      assertThat(stored.path("status").asText()).isEqualTo("succeeded");
      assertThat(stored.path("datasetHash").asText()).hasSize(64);
      assertThat(stored.path("hyperparameters").path("n_epochs").asInt()).isEqualTo(2);
      // the tuned model is registered as a model version with its lineage (not promoted: `versions promote` runs the model gate first)
      String version = stored.path("version").asText();
      assertThat(version).startsWith("model-");
      JsonNode v = JSON.readTree(project.resolve(".groundwork/versions/" + version + "/version.json").toFile());
      assertThat(v.path("inputs").path("job").asText()).isEqualTo(job);
      assertThat(v.path("inputs").path("dataset").asText()).isEqualTo(stored.path("datasetHash").asText());
      assertThat(v.path("settings").path("base_model").asText()).isEqualTo("gpt-4.1-mini-2025-04-14");
      assertThat(v.path("settings").path("retires").asText()).isEqualTo("2027-01-14");
      assertThat(JSON.readTree(project.resolve(".groundwork/versions/" + version + "/model.json").toFile()).path("model").asText())
          .isEqualTo("openai:" + waited.out().strip());
      assertThat(Cli.run("versions", "list", "-C", project.toString()).out()).contains(version);
      assertThat(Cli.run("tune", "list", "-C", project.toString()).out()).contains(job + "  succeeded").contains(again.out().strip());

      // cancelled, then a second cancel is refused; a job the provider deleted is reported as such
      String other = again.out().strip();
      Cli cancel = Cli.run("tune", "cancel", "-C", project.toString(), other);
      assertThat(cancel.out()).contains("cancelled");
      assertThat(Cli.run("tune", "cancel", "-C", project.toString(), other).code()).isEqualTo(Main.USAGE);
      String third = Cli.run("tune", "start", "-C", project.toString(), "--provider", "openai", "--model", "gpt-4.1-mini-2025-04-14", "--dataset", data.toString()).out().strip();
      api.forget(third);
      assertThat(Cli.run("tune", "status", "-C", project.toString(), third).out()).contains("failed").contains("no longer knows this job");

      // preference pairs train with --method dpo; a chat dataset cannot
      Path pairs = project.resolve("pairs.jsonl");
      Files.writeString(pairs, EXAMPLE.formatted(7, 7, 7).replace("\"metadata\"", "\"rejected\": \"Port 9000 [1].\", \"metadata\""));
      Cli dpo = Cli.run("tune", "start", "-C", project.toString(), "--provider", "openai", "--model", "gpt-4.1-mini-2025-04-14", "--dataset", pairs.toString(),
          "--method", "dpo");
      assertThat(dpo.code()).as(dpo.err()).isZero();
      assertThat(api.files.values().stream().map(b -> new String(b, StandardCharsets.UTF_8)).filter(t -> t.contains("non_preferred_output"))).hasSize(1);
      Cli notPairs = Cli.run("tune", "start", "-C", project.toString(), "--provider", "openai", "--model", "gpt-4.1-mini-2025-04-14", "--dataset", data.toString(),
          "--method", "dpo");
      assertThat(notPairs.code()).isEqualTo(Main.USAGE);
      assertThat(notPairs.err()).contains("needs a rejected reply");

      // a failed job: wait exits 4 with the provider's error
      api.failJobs = true;
      String failing = Cli.run("tune", "start", "-C", project.toString(), "--provider", "openai", "--model", "gpt-4.1-mini-2025-04-14", "--dataset", data.toString()).out().strip();
      Cli failed = Cli.run("tune", "wait", "-C", project.toString(), failing, "--poll-s", "0");
      assertThat(failed.code()).isEqualTo(4);
      assertThat(failed.err()).contains("failed").contains("invalid training file");
    }
  }

  @Test
  void badFilesAndUnknownJobsGetClearErrorsAndSendNothing() throws Exception {
    try (FakeFineTuningServer api = new FakeFineTuningServer()) {
      Files.writeString(project.resolve("groundwork.yaml"), "models:\n  openai: {base_url: \"" + api.baseUrl() + "\", api_key: \"sk-test\"}\n");
      Path data = project.resolve("bad.jsonl");
      Files.writeString(data, EXAMPLE.formatted(1, 1, 1) + "{broken\n");
      Cli start = Cli.run("tune", "start", "-C", project.toString(), "--provider", "openai", "--model", "gpt-4.1-mini-2025-04-14", "--dataset", data.toString());
      assertThat(start.code()).isEqualTo(Main.USAGE);
      assertThat(start.err()).contains("bad.jsonl: line 2 is not JSON");
      assertThat(api.requests).isEmpty();
      assertThat(Cli.run("tune", "start", "-C", project.toString(), "--provider", "mistral", "--model", "m", "--dataset", data.toString()).err())
          .contains("together, fireworks, openai or local");
      Cli unknown = Cli.run("tune", "status", "-C", project.toString(), "ftjob-nope");
      assertThat(unknown.code()).isEqualTo(Main.USAGE);
      assertThat(unknown.err()).contains("no tuning job ftjob-nope");
      Files.createDirectories(project.resolve(".groundwork/tuning/jobs"));
      Files.writeString(project.resolve(".groundwork/tuning/jobs/ftjob-x.json"), "{not json");
      Cli corrupt = Cli.run("tune", "status", "-C", project.toString(), "ftjob-x");
      assertThat(corrupt.code()).isEqualTo(Main.USAGE);
      assertThat(corrupt.err()).contains("ftjob-x.json is corrupt");
    }
  }
}
