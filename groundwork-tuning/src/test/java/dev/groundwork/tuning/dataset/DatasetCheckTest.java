package dev.groundwork.tuning.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCheckTest {
  @TempDir Path dir;

  static Example chat(String id, String question, String reply) {
    return new Example(id, "grounded-qa", List.of(new Example.Message("system", "Answer from the sources."),
        new Example.Message("user", "[1] docs/a.md\n| some source\n\nQuestion: " + question), new Example.Message("assistant", reply)),
        Map.of("question", question));
  }

  static DatasetCheck.Target target(int window) {
    return new DatasetCheck.Target("test:model", dev.groundwork.core.text.Tokens::count, false, "word pieces", window,
        new DatasetCheck.TrainingPrice(2.0, 3, "2026-01"));
  }

  @Test
  void nearlyTheSameMeansTrigramJaccardOfAtLeastPointEight() {
    assertThat(NearDuplicates.jaccard("How many attempts does a job get before the dead-letter queue?",
        "how many attempts does a job get before the dead letter queue")).isEqualTo(1.0);
    String a = "How many attempts does a job get before it is moved to the dead-letter queue in Tidewater?";
    String b = "How many attempts does a job get before it is moved to the dead-letter queue in Tidewater, please?";
    assertThat(NearDuplicates.jaccard(a, b)).isGreaterThanOrEqualTo(0.8);
    assertThat(NearDuplicates.find(List.of(a, "What port does the dashboard use?"), List.of(b))).singleElement()
        .satisfies(p -> assertThat(p.left()).isZero());
    assertThat(NearDuplicates.jaccard("What port does the admin dashboard use?", "What port does the metrics exporter use?")).isLessThan(0.8);
    assertThat(NearDuplicates.find(List.of("What port does the admin dashboard use?", "What port does the metrics exporter use?"), null)).isEmpty();
  }

  @Test
  void everyCheckFindsWhatItIsFor() throws Exception {
    Path f = dir.resolve("d.jsonl");
    DatasetFile.write(f, List.of(
        chat("a", "How many attempts does a job get before the dead-letter queue?", "5 attempts [1]."),
        chat("b", "What is the default visibility timeout?", "30 seconds [1]."),
        chat("b", "Which port does the dashboard use?", "8089 [1]."), // a repeated id
        chat("c", "Mail me at bob@example.com: how do I pause a queue?", "Run tw pause [1]."),
        chat("d", "What is the boiling point of mercury?", "The documents do not contain an answer to this question."),
        chat("e", "What is the default visibility timeout?", "30 seconds [1].")));
    Files.writeString(f, Files.readString(f) + "{not json\n{\"id\": \"x\", \"messages\": [{\"role\": \"bot\", \"content\": \"hi\"}]}\n");
    DatasetFile.Read read = DatasetFile.read(f);
    assertThat(read.problems()).singleElement().satisfies(p -> assertThat(p.line()).isEqualTo(7));
    DatasetCheck.Report r = DatasetCheck.run(read, Map.of("faq/dlq", "how many attempts does a job get before the dead letter queue"), Pii.standard("US"),
        t -> t.startsWith("The documents do not contain"), List.of(target(200)), null);
    Map<String, DatasetCheck.Check> by = new java.util.HashMap<>();
    for (var c : r.checks()) by.put(c.name(), c);
    assertThat(r.passed()).isFalse();
    assertThat(by.get("format").passed()).isFalse();
    assertThat(by.get("format").examples()).anyMatch(s -> s.startsWith("line 7: not JSON")).anyMatch(s -> s.contains("unknown role 'bot'"));
    assertThat(by.get("duplicates").examples()).containsExactly("b", "e");
    assertThat(by.get("contamination").examples()).containsExactly("a");
    assertThat(r.contaminated()).containsExactly("a");
    assertThat(by.get("pii").examples()).containsExactly("c");
    assertThat(r.pii()).containsEntry("email", 1);
    assertThat(by.get("refusals").count()).isEqualTo(1);
    assertThat(by.get("length:test:model").passed()).isTrue();
    // the bill: the tokens of every message plus 4 each, times the default 3 epochs, at $2 per 1M
    long tokens = 0;
    for (Example e : read.examples()) for (Example.Message m : e.messages()) tokens += dev.groundwork.core.text.Tokens.count(m.content()) + 4;
    DatasetCheck.Preflight p = r.preflight().get(0);
    assertThat(p.tokens()).isEqualTo(tokens);
    assertThat(p.billedTokens()).isEqualTo(3 * tokens);
    assertThat(p.usd()).isEqualTo(3 * tokens * 2.0 / 1e6, org.assertj.core.api.Assertions.within(1e-12));
    // a short window: every example is too long but the one-word chat with the unknown role
    DatasetCheck.Report tight = DatasetCheck.run(read, Map.of(), Pii.standard("US"), t -> false, List.of(target(10)), 1);
    assertThat(tight.checks().stream().filter(c -> c.name().startsWith("length:")).findFirst().orElseThrow().examples())
        .containsExactly("a", "b", "b", "c", "d", "e");
    assertThat(tight.preflight().get(0).epochs()).isEqualTo(1);
  }

  @Test
  void scrubbingAndExportKeepTheChatAndTheSplitIsSeeded() throws Exception {
    List<Example> ex = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) ex.add(chat("q" + i, "Question number " + i + " from bob@example.com?", "Answer " + i + " [1]."));
    List<Example> clean = DatasetCheck.scrub(ex, Pii.standard("US"));
    assertThat(clean.get(3).prompt()).contains("[EMAIL]").doesNotContain("bob@");
    assertThat(clean.get(3).question()).contains("[EMAIL]");
    var w = DatasetExport.export(clean, "openai", dir.resolve("out"), 0.2, 7);
    assertThat(w.trainCount()).isEqualTo(16);
    assertThat(w.validationCount()).isEqualTo(4);
    List<String> first = Files.readAllLines(w.validation());
    var again = DatasetExport.export(clean, "trl", dir.resolve("out2"), 0.2, 7);
    assertThat(Files.readAllLines(again.validation())).isEqualTo(first);
    assertThatThrownBy(() -> DatasetExport.export(clean, "alpaca", dir.resolve("x"), 0.1, 7)).hasMessageContaining("not one of");
    assertThatThrownBy(() -> DatasetExport.export(List.of(new Example("bad", "grounded-qa", List.of(new Example.Message("user", "hi")), Map.of())),
        "openai", dir.resolve("y"), 0.1, 7)).hasMessageContaining("bad: the last message is not the assistant's reply");
  }

  @Test
  void theChatFormatsWriteTheLinesTheirDocumentationShows() throws Exception {
    // OpenAI's chat fine-tuning example, and TRL's conversational example, line for line
    Example openai = new Example("o", "tone", List.of(new Example.Message("system", "Marv is a factual chatbot that is also sarcastic."),
        new Example.Message("user", "What's the capital of France?"), new Example.Message("assistant", "Paris, as if everyone doesn't know that already.")),
        Map.of());
    DatasetExport.export(List.of(openai), "openai", dir.resolve("o"), 0, 1);
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(dir.resolve("o/train.jsonl")))).isEqualTo(
        new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
            {"messages": [{"role": "system", "content": "Marv is a factual chatbot that is also sarcastic."}, {"role": "user", "content": "What's the capital of France?"}, {"role": "assistant", "content": "Paris, as if everyone doesn't know that already."}]}"""));
    Example trl = new Example("t", "tone", List.of(new Example.Message("user", "What color is the sky?"), new Example.Message("assistant", "It is blue.")),
        Map.of());
    DatasetExport.export(List.of(trl), "trl", dir.resolve("t"), 0, 1);
    assertThat(Files.readString(dir.resolve("t/train.jsonl")).strip())
        .isEqualTo("{\"messages\":[{\"role\":\"user\",\"content\":\"What color is the sky?\"},{\"role\":\"assistant\",\"content\":\"It is blue.\"}]}");
    assertThat(dir.resolve("t/validation.jsonl")).doesNotExist();
    // Together's conversational example and Fireworks' chat example, as their dataset pages show them
    Example together = new Example("g", "tone", List.of(new Example.Message("system", "This is a system prompt."),
        new Example.Message("user", "Hello, how are you?"), new Example.Message("assistant", "I'm doing well, thank you! How can I help you?")), Map.of());
    DatasetExport.export(List.of(together), "together", dir.resolve("g"), 0, 1);
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(dir.resolve("g/train.jsonl")))).isEqualTo(
        new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
            {"messages": [{"role": "system", "content": "This is a system prompt."}, {"role": "user", "content": "Hello, how are you?"}, {"role": "assistant", "content": "I'm doing well, thank you! How can I help you?"}]}"""));
    Example fireworks = new Example("f", "tone", List.of(new Example.Message("system", "You are a helpful assistant."),
        new Example.Message("user", "What is the capital of France?"), new Example.Message("assistant", "Paris.")), Map.of());
    DatasetExport.export(List.of(fireworks), "fireworks", dir.resolve("f"), 0, 1);
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(dir.resolve("f/train.jsonl")))).isEqualTo(
        new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
            {"messages": [{"role": "system", "content": "You are a helpful assistant."}, {"role": "user", "content": "What is the capital of France?"}, {"role": "assistant", "content": "Paris."}]}"""));
  }

  @Test
  void axolotlAndLlamaFactoryGetTheirDocumentedFilesAndSettings() throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    // LLaMA-Factory's ShareGPT example (data/README.md): human and gpt turns, the system prompt apart
    Example sft = new Example("s", "grounded-qa", List.of(new Example.Message("system", "system prompt (optional)"),
        new Example.Message("user", "human instruction"), new Example.Message("assistant", "model response")), Map.of());
    var w = DatasetExport.export(List.of(sft), "llama-factory", dir.resolve("lf"), 0, 1);
    assertThat(json.readTree(Files.readString(dir.resolve("lf/train.json")))).isEqualTo(json.readTree("""
        [{"conversations": [{"from": "human", "value": "human instruction"}, {"from": "gpt", "value": "model response"}],
          "system": "system prompt (optional)"}]"""));
    assertThat(w.settings()).isEqualTo(dir.resolve("lf/dataset_info.json"));
    assertThat(json.readTree(Files.readString(w.settings()))).isEqualTo(json.readTree("""
        {"groundwork_train": {"file_name": "train.json", "formatting": "sharegpt", "columns": {"messages": "conversations", "system": "system"}}}"""));
    // its preference example: the prompt's turns, then chosen and rejected apart, with ranking: true
    Example pair = new Example("p", "grounded-qa", List.of(new Example.Message("user", "human instruction"), new Example.Message("assistant", "chosen answer")),
        Map.of(), "rejected answer");
    var dpo = DatasetExport.export(List.of(pair), "llama-factory-dpo", dir.resolve("lfd"), 0, 1);
    assertThat(json.readTree(Files.readString(dpo.train()))).isEqualTo(json.readTree("""
        [{"conversations": [{"from": "human", "value": "human instruction"}], "chosen": {"from": "gpt", "value": "chosen answer"},
          "rejected": {"from": "gpt", "value": "rejected answer"}}]"""));
    assertThat(json.readTree(Files.readString(dpo.settings())).path("groundwork_train")).isEqualTo(json.readTree("""
        {"file_name": "train.json", "formatting": "sharegpt", "ranking": true,
         "columns": {"messages": "conversations", "system": "system", "chosen": "chosen", "rejected": "rejected"}}"""));
    // turns that do not alternate cannot be ShareGPT: nothing is written
    Example twoUsers = new Example("u", "grounded-qa", List.of(new Example.Message("user", "a"), new Example.Message("user", "b"),
        new Example.Message("assistant", "c")), Map.of());
    assertThatThrownBy(() -> DatasetExport.export(List.of(twoUsers), "llama-factory", dir.resolve("bad"), 0, 1)).hasMessageContaining("u: message 2 is user");
    assertThat(dir.resolve("bad")).doesNotExist();

    // Axolotl's chat_template type reads the messages lines; its settings train on the assistant's turns and their end-of-turn token
    var ax = DatasetExport.export(List.of(sft, pair, sft), "axolotl", dir.resolve("ax"), 0.34, 1);
    assertThat(json.readTree(Files.readAllLines(ax.train()).get(0)).path("messages").get(0).path("role").asText()).isIn("system", "user");
    var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(ax.settings().toFile());
    assertThat(yaml.path("chat_template").asText()).isEqualTo("tokenizer_default");
    var ds = yaml.path("datasets").get(0);
    assertThat(ds.path("path").asText()).isEqualTo("train.jsonl");
    assertThat(ds.path("type").asText()).isEqualTo("chat_template");
    assertThat(ds.path("field_messages").asText()).isEqualTo("messages");
    assertThat(ds.path("roles_to_train").toString()).isEqualTo("[\"assistant\"]");
    assertThat(ds.path("train_on_eos").asText()).isEqualTo("turn");
    assertThat(yaml.path("test_datasets").get(0).path("path").asText()).isEqualTo("validation.jsonl");
  }

  @Test
  void preferencePairsExportAsTheDocumentedDpoFormats() throws Exception {
    // OpenAI's DPO example (its optional "tools" and "parallel_tool_calls" left out) and TRL's conversational preference example
    Example sf = new Example("p", "grounded-qa", List.of(new Example.Message("user", "Hello, can you tell me how cold San Francisco is today?"),
        new Example.Message("assistant", "Today in San Francisco, it is not quite cold as expected.")), Map.of(),
        "It is not particularly cold in San Francisco today.");
    DatasetExport.export(List.of(sf), "openai-dpo", dir.resolve("dpo"), 0, 1);
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    assertThat(json.readTree(Files.readString(dir.resolve("dpo/train.jsonl")))).isEqualTo(json.readTree("""
        {"input": {"messages": [{"role": "user", "content": "Hello, can you tell me how cold San Francisco is today?"}]},
         "preferred_output": [{"role": "assistant", "content": "Today in San Francisco, it is not quite cold as expected."}],
         "non_preferred_output": [{"role": "assistant", "content": "It is not particularly cold in San Francisco today."}]}"""));
    Example sky = new Example("s", "grounded-qa", List.of(new Example.Message("user", "What color is the sky?"), new Example.Message("assistant", "It is blue.")),
        Map.of(), "It is green.");
    DatasetExport.export(List.of(sky), "trl-dpo", dir.resolve("trl"), 0, 1);
    assertThat(Files.readString(dir.resolve("trl/train.jsonl")).strip()).isEqualTo("{\"prompt\":[{\"role\":\"user\",\"content\":\"What color is the sky?\"}],"
        + "\"chosen\":[{\"role\":\"assistant\",\"content\":\"It is blue.\"}],\"rejected\":[{\"role\":\"assistant\",\"content\":\"It is green.\"}]}");
    // a pair survives the canonical file; a chat without a rejected reply is no preference pair
    DatasetFile.write(dir.resolve("c.jsonl"), List.of(sky));
    assertThat(DatasetFile.read(dir.resolve("c.jsonl")).examples().get(0).rejected()).isEqualTo("It is green.");
    assertThatThrownBy(() -> DatasetExport.export(List.of(chat("x", "q", "a")), "openai-dpo", dir.resolve("n"), 0, 1))
        .hasMessageContaining("x: no rejected reply");
  }
}
