package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.testkit.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `tune start --provider local` against a scripted stand-in trainer: it checks the config and data it
 * is given, prints progress, and leaves a real GGUF (the shared stories260K model, standing in for a
 * merged fine-tune) in the output folder. Axolotl, TRL and llama.cpp's finetune are not installed here;
 * what is tested is everything around them.
 */
class LocalTuneIT {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path project;

  static final String TRAINER = """
      #!/usr/bin/env bash
      set -euo pipefail
      config="$1"; out="$2"; gguf="$3"
      grep -q '^base_model: "stories-base"' "$config" || { echo "no base_model in $config"; exit 3; }
      grep -q 'type: chat_template' "$config" || { echo "no chat_template dataset in $config"; exit 3; }
      train=$(grep -m1 'path: ' "$config" | sed 's/.*path: "\\(.*\\)"/\\1/')
      test -s "$train" || { echo "no training file at $train"; exit 3; }
      echo "loading stories-base"
      for i in 1 2 3; do echo "step $i/3 loss 0.$((4 - i))"; done
      mkdir -p "$out"
      if [ "${4:-}" != "no-output" ]; then cp "$gguf" "$out/merged.gguf"; echo "saved $out/merged.gguf"; fi
      """;

  @Test
  void theTrainerRunsWithItsConfigAndItsGgufBecomesAServedModelVersion() throws Exception {
    Path gguf = SharedData.require("tinyllamas-stories260K/stories260K.gguf");
    Path script = project.resolve("trainer.sh");
    Files.writeString(script, TRAINER);
    Files.createDirectories(project.resolve("docs"));
    Files.writeString(project.resolve("docs/a.md"), "# Stories\n\nOnce upon a time there was a queue.\n");
    Path data = project.resolve("data.jsonl");
    StringBuilder lines = new StringBuilder();
    for (int i = 1; i <= 4; i++) {
      lines.append("{\"id\": \"log:q").append(i).append("\", \"task\": \"grounded-qa\", \"messages\": [{\"role\": \"user\", \"content\": \"Tell story ")
          .append(i).append("\"}, {\"role\": \"assistant\", \"content\": \"Once upon a time [1].\"}], \"metadata\": {\"source\": \"log\"}}\n");
    }
    Files.writeString(data, lines);

    // not configured: a clear error naming the key
    Cli none = Cli.run("tune", "start", "-C", project.toString(), "--provider", "local", "--model", "stories-base", "--dataset", data.toString());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("tuning.local.command is not set");

    Files.writeString(project.resolve("groundwork.yaml"), "models: {context_window: 2048}\nanswer: {max_tokens: 16}\n"
        + "tuning: {local: {command: [bash, \"" + script + "\", \"{config}\", \"{output}\", \"" + gguf + "\"]}}\n");
    assertThat(Cli.run("ingest", "-C", project.toString(), "docs").code()).isZero();
    Cli run = Cli.run("tune", "start", "-C", project.toString(), "--provider", "local", "--model", "stories-base", "--dataset", data.toString(), "--epochs", "2");
    assertThat(run.code()).as(run.err()).isZero();
    // the trainer's output streams through, line by line
    assertThat(run.err()).contains("local | loading stories-base").contains("local | step 3/3 loss 0.1");
    String job = run.out().strip().split(" ")[0];
    assertThat(run.out()).contains(" succeeded: model-");
    Path jobDir = project.resolve(".groundwork/tuning/local/" + job);
    // what the trainer was given: an Axolotl config over the exported chat lines, with the epochs asked for
    String config = Files.readString(jobDir.resolve("axolotl.yaml"));
    assertThat(config).contains("base_model: \"stories-base\"").contains("adapter: lora").contains("num_epochs: 2").contains("roles_to_train: [\"assistant\"]")
        .contains("train_on_eos: turn").contains(jobDir.resolve("data/train.jsonl").toString());
    assertThat(Files.readString(jobDir.resolve("train.log"))).contains("step 1/3");
    // registered with its lineage, served by llama.cpp, reachable through an alias
    JsonNode stored = JSON.readTree(project.resolve(".groundwork/tuning/jobs/" + job + ".json").toFile());
    String version = stored.path("version").asText();
    assertThat(JSON.readTree(project.resolve(".groundwork/versions/" + version + "/model.json").toFile()).path("model").asText())
        .isEqualTo("llamacpp:" + jobDir.resolve("output/merged.gguf").toAbsolutePath());
    assertThat(Cli.run("versions", "candidate", version, "--alias", "story", "-C", project.toString()).code()).isZero();
    Cli ask = Cli.run("ask", "-C", project.toString(), "--model", "story@candidate", "--json", "Once upon a time");
    assertThat(ask.code()).as(ask.err()).isZero();
    assertThat(ask.json().path("model").asText()).isEqualTo("llamacpp:" + jobDir.resolve("output/merged.gguf").toAbsolutePath());
    assertThat(Cli.run("tune", "list", "-C", project.toString()).out()).contains(job + "  succeeded");
    // but it cannot reach production: a story model has no chat template, so it would never see the trained prompt
    Cli promote = Cli.run("versions", "promote", version, "--alias", "story", "-C", project.toString());
    assertThat(promote.code()).isEqualTo(1);
    assertThat(promote.out()).contains("gate: FAILED: chat template check: the GGUF has no tokenizer.chat_template").contains("not promoted");
    // and, run, it never stops: the gate probes generation too
    assertThat(promote.out()).contains("generation did not stop").contains("256-token limit");

    // a trainer that leaves a LoRA adapter: served over the base GGUF that tuning.local.base_gguf names
    java.util.Map<String, long[]> shapes = new java.util.LinkedHashMap<>();
    shapes.put("output.weight", new long[] {64, 512});
    for (int i = 0; i < 5; i++) shapes.put("blk." + i + ".attn_output.weight", new long[] {64, 64});
    Path lora = dev.groundwork.testkit.TinyGguf.lora(project.resolve("adapter-made-by-the-trainer.gguf"), "llama", shapes, 4, 0.5f, 11);
    Files.writeString(project.resolve("groundwork.yaml"), "models: {context_window: 2048}\nanswer: {max_tokens: 16}\n"
        + "tuning: {local: {command: [bash, \"" + script + "\", \"{config}\", \"{output}\", \"" + lora + "\"]}}\n");
    Cli noBase = Cli.run("tune", "start", "-C", project.toString(), "--provider", "local", "--model", "stories-base", "--dataset", data.toString());
    assertThat(noBase.code()).isEqualTo(4);
    assertThat(noBase.err()).contains("left a LoRA adapter").contains("tuning.local.base_gguf");
    Files.writeString(project.resolve("groundwork.yaml"), "models: {context_window: 2048}\nanswer: {max_tokens: 16}\n"
        + "tuning: {local: {command: [bash, \"" + script + "\", \"{config}\", \"{output}\", \"" + lora + "\"], base_gguf: \"" + gguf + "\"}}\n");
    Cli adapted = Cli.run("tune", "start", "-C", project.toString(), "--provider", "local", "--model", "stories-base", "--dataset", data.toString());
    assertThat(adapted.code()).as(adapted.err()).isZero();
    String adapterJob = adapted.out().strip().split(" ")[0];
    String adapterVersion = JSON.readTree(project.resolve(".groundwork/tuning/jobs/" + adapterJob + ".json").toFile()).path("version").asText();
    String servedAs = "llamacpp:" + gguf.toAbsolutePath() + "+" + project.resolve(".groundwork/tuning/local/" + adapterJob + "/output/merged.gguf").toAbsolutePath();
    assertThat(JSON.readTree(project.resolve(".groundwork/versions/" + adapterVersion + "/model.json").toFile()).path("model").asText()).isEqualTo(servedAs);
    assertThat(Cli.run("versions", "candidate", adapterVersion, "--alias", "story", "-C", project.toString()).code()).isZero();
    Cli withAdapter = Cli.run("ask", "-C", project.toString(), "--model", "story@candidate", "--json", "Once upon a time");
    assertThat(withAdapter.code()).as(withAdapter.err()).isZero();
    assertThat(withAdapter.json().path("model").asText()).isEqualTo(servedAs);
    Cli plain = Cli.run("ask", "-C", project.toString(), "--model", "llamacpp:" + gguf, "--json", "Once upon a time");
    assertThat(withAdapter.json().path("answer").asText()).isNotEqualTo(plain.json().path("answer").asText());

    // a trainer that fails, and one that leaves nothing to serve: the job fails and says why
    Files.writeString(project.resolve("groundwork.yaml"), "tuning: {local: {command: [bash, \"" + script + "\", \"/nonexistent.yaml\", \"{output}\", x]}}\n");
    Cli failed = Cli.run("tune", "start", "-C", project.toString(), "--provider", "local", "--model", "stories-base", "--dataset", data.toString());
    assertThat(failed.code()).isEqualTo(4);
    assertThat(failed.err()).contains("the trainer exited with").contains("train.log");
    Files.writeString(project.resolve("groundwork.yaml"), "tuning: {local: {command: [bash, \"" + script + "\", \"{config}\", \"{output}\", x, no-output]}}\n");
    Cli empty = Cli.run("tune", "start", "-C", project.toString(), "--provider", "local", "--model", "stories-base", "--dataset", data.toString());
    assertThat(empty.code()).isEqualTo(4);
    assertThat(empty.err()).contains("left no .gguf");
    Files.writeString(project.resolve("groundwork.yaml"), "tuning: {local: {command: [no-such-trainer-xyz]}}\n");
    Cli missing = Cli.run("tune", "start", "-C", project.toString(), "--provider", "local", "--model", "stories-base", "--dataset", data.toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("cannot start 'no-such-trainer-xyz'");
  }
}
