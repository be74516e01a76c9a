package dev.groundwork.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.retrieve.SearchMode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectConfigTest {
  @TempDir Path dir;

  ProjectConfig load(String yaml) throws Exception {
    Path f = dir.resolve("groundwork.yaml");
    Files.writeString(f, yaml);
    return ProjectConfig.load(f);
  }

  @Test
  void theInitTemplateSpellsOutTheDefaults() throws Exception {
    ProjectConfig fromTemplate = load(ProjectConfig.template());
    ProjectConfig defaults = ProjectConfig.defaults();
    assertThat(fromTemplate.chunking()).isEqualTo(defaults.chunking());
    assertThat(fromTemplate.embedder()).isEqualTo(defaults.embedder()).isEqualTo("bge-small-en-v1.5-q");
    assertThat(fromTemplate.k()).isEqualTo(defaults.k()).isEqualTo(8);
    assertThat(fromTemplate.retrieval().fusion().name()).isEqualTo(defaults.retrieval().fusion().name());
    assertThat(fromTemplate.retrieval().denseWeight()).isEqualTo(defaults.retrieval().denseWeight());
    assertThat(fromTemplate.retrieval().lateWeight()).isEqualTo(defaults.retrieval().lateWeight()).isEqualTo(1.0);
    assertThat(fromTemplate.retrieval().lateDepth()).isEqualTo(defaults.retrieval().lateDepth()).isEqualTo(100);
    assertThat(fromTemplate.retrieval().lateIdf()).isEqualTo(defaults.retrieval().lateIdf()).isTrue();
    assertThat(fromTemplate.minEvidence()).isEqualTo(defaults.minEvidence());
    assertThat(fromTemplate.minAnswerability()).isEqualTo(defaults.minAnswerability()).isEqualTo(ProjectConfig.DEFAULT_MIN_ANSWERABILITY);
    assertThat(fromTemplate.verifier()).isNull();
    assertThat(fromTemplate.minVerification()).isEqualTo(defaults.minVerification());
    assertThat(fromTemplate.sources()).containsExactly("docs");
    assertThat(fromTemplate.models().retries()).isEqualTo(defaults.models().retries()).isEqualTo(2);
    assertThat(fromTemplate.models().prompt().version()).isEqualTo(defaults.models().prompt().version());
  }

  @Test
  void aFileOfOnlyCommentsMeansEveryDefault() throws Exception {
    ProjectConfig comments = load("# nothing changed yet\n# k: 4\n");
    assertThat(comments.k()).isEqualTo(ProjectConfig.defaults().k());
    assertThat(comments.embedder()).isEqualTo(ProjectConfig.defaults().embedder());
    assertThat(comments.minEvidence()).isEqualTo(ProjectConfig.defaults().minEvidence());
    // a document that is a bare value is still a mistake
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> load("just words\n")).hasMessageContaining("must be a mapping of keys to values");
  }

  @Test
  void theLocalTrainerIsReadAndChecked() throws Exception {
    assertThat(ProjectConfig.defaults().localTrainer()).isNull();
    ProjectConfig c = load("tuning: {local: {command: [axolotl, train, \"{config}\"], format: trl}}\n");
    assertThat(c.localTrainer().command()).containsExactly("axolotl", "train", "{config}");
    assertThat(c.localTrainer().format()).isEqualTo("trl");
    assertThat(load("tuning: {local: {command: [axolotl]}}\n").localTrainer().format()).isEqualTo("axolotl");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> load("tuning: {local: {format: trl}}\n")).hasMessageContaining("tuning.local.command: is required with format");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> load("tuning: {local: {command: [x], format: unsloth}}\n"))
        .hasMessageContaining("tuning.local.format: got 'unsloth'; accepted: axolotl, trl");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> load("tuning: {remote: {}}\n")).hasMessageContaining("unknown key 'tuning.remote'");
  }

  @Test
  void lateInteractionIsConfigurableAndCheckedAndCanBeTurnedOff() throws Exception {
    assertThat(ProjectConfig.defaults().tokenSignatures()).isTrue();
    assertThat(load("index: {token_signatures: false}").tokenSignatures()).isFalse();
    ProjectConfig c = load("retrieval: {late_weight: 0, late_depth: 30, late_idf: false}");
    assertThat(c.retrieval().lateIdf()).isFalse();
    assertThat(c.retrieval().lateWeight()).isZero();
    assertThat(c.retrieval().lateDepth()).isEqualTo(30);
    assertThatThrownBy(() -> load("retrieval: {late_weight: -1}")).hasMessageContaining("retrieval.late_weight");
    assertThatThrownBy(() -> load("retrieval: {late_depth: 0}")).hasMessageContaining("retrieval.late_depth");
  }

  @Test
  void modelsPromptsAndPricesAreReadAndChecked() throws Exception {
    ProjectConfig c = load("""
        answer: {model: "openai:gpt-4.1-mini", fallback: ["anthropic:claude-haiku-4-5"], max_tokens: 300}
        models:
          openai: {base_url: "http://localhost:11434/v1"}
          retries: 4
        prompts:
          system: "Answer like a pirate."
          examples: [{question: "Port?", answer: "8080 [1]."}]
        prices:
          "openai:my-tune": {input: 0.3, output: 1.2}
        """);
    assertThat(c.answerModel()).isEqualTo("openai:gpt-4.1-mini");
    assertThat(c.models().fallbacks()).containsExactly("anthropic:claude-haiku-4-5");
    assertThat(c.models().settings("openai:gpt-4.1-mini", java.util.Map.of(), dir).baseUrl()).isEqualTo("http://localhost:11434/v1");
    assertThat(c.models().retries()).isEqualTo(4);
    assertThat(c.models().prompt().version()).isNotEqualTo(ProjectConfig.defaults().models().prompt().version());
    assertThat(c.models().prices().cost("openai:my-tune", new dev.groundwork.core.model.TokenUsage(1_000_000, 0, 1_000_000, false)))
        .isCloseTo(1.5, org.assertj.core.data.Offset.offset(1e-9));

    assertThatThrownBy(() -> load("answer: {model: gpt-4}")).hasMessageContaining("answer.model").hasMessageContaining("PROVIDER:MODEL");
    assertThatThrownBy(() -> load("answer: {model: \"mistral:large\"}")).hasMessageContaining("unknown provider 'mistral'");
    assertThatThrownBy(() -> load("prices: {\"openai:x\": {output: 1}}")).hasMessageContaining("prices.openai:x.input").hasMessageContaining("is required");
    assertThatThrownBy(() -> load("prompts: {user: \"no placeholders\"}")).hasMessageContaining("prompts.user must contain {sources} and {question}");
    assertThatThrownBy(() -> load("prompts: {examples: [{question: q}]}")).hasMessageContaining("prompts.examples[0].answer: is required");
    assertThatThrownBy(() -> load("models: {timeout_s: 0}")).hasMessageContaining("models.timeout_s");
  }

  @Test
  void valuesOverrideDefaults() throws Exception {
    ProjectConfig c = load("retrieval:\n  mode: bm25\n  k: 12\nchunking:\n  max_tokens: 128\n  mode: flat\nembedder:\n  model: all-minilm-l6-v2-q\n");
    assertThat(c.retrieval().mode()).isEqualTo(SearchMode.BM25);
    assertThat(c.k()).isEqualTo(12);
    assertThat(c.chunking().maxTokens()).isEqualTo(128);
    assertThat(c.chunking().hierarchical()).isFalse();
    assertThat(c.embedder()).isEqualTo("all-minilm-l6-v2-q");
  }

  @Test
  void aMissingFileMeansDefaults() {
    assertThat(ProjectConfig.load(dir.resolve("absent.yaml")).k()).isEqualTo(8);
  }

  @Test
  void malformedYamlNamesTheFileAndLine() {
    assertThatThrownBy(() -> load("retrieval:\n  k: [1, 2\n  mode: x\n"))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("groundwork.yaml: malformed YAML at line");
  }

  @Test
  void unknownKeysNameThePathAndTheAcceptedKeys() {
    assertThatThrownBy(() -> load("retrieval:\n  kk: 3\n"))
        .hasMessage("groundwork.yaml: unknown key 'retrieval.kk'; accepted keys under retrieval: adapter, auto_merge, bm25_weight, candidates, dense_weight, fusion, k, late_depth, late_idf, late_weight, mode, rrf_k");
    assertThatThrownBy(() -> load("retrival:\n  k: 3\n")).hasMessageContaining("unknown key 'retrival'");
  }

  @Test
  void badValuesNameThePathAndWhatIsAccepted() throws Exception {
    assertThatThrownBy(() -> load("retrieval:\n  k: 500\n")).hasMessage("groundwork.yaml: retrieval.k: must be a whole number in 1..50, got '500'");
    assertThatThrownBy(() -> load("retrieval:\n  mode: semantic\n")).hasMessage("groundwork.yaml: retrieval.mode: got 'semantic'; accepted: bm25, dense, hybrid");
    assertThatThrownBy(() -> load("embedder:\n  model: ada\n")).hasMessageContaining("embedder.model: got 'ada'; accepted: all-minilm-l6-v2");
    assertThatThrownBy(() -> load("answer:\n  min_evidence: high\n")).hasMessageContaining("answer.min_evidence: must be a number in 0.0..1.0, got 'high'");
    assertThatThrownBy(() -> load("retrieval: 5\n")).hasMessageContaining("retrieval: must be a mapping");
    assertThatThrownBy(() -> load("answer: {verifier: extractive}\n")).hasMessageContaining("answer.verifier").hasMessageContaining("language model");
    assertThatThrownBy(() -> load("answer: {verifier: gpt4}\n")).hasMessageContaining("answer.verifier");
    assertThatThrownBy(() -> load("answer: {min_answerability: 2}\n")).hasMessageContaining("answer.min_answerability: must be a number in 0.0..1.0");
    assertThat(load("answer: {verifier: \"openai:gpt-4.1-mini\", min_verification: 0.7}").verifier()).isEqualTo("openai:gpt-4.1-mini");
  }

  @Test
  void invalidUtf8IsReported() throws Exception {
    Path f = dir.resolve("groundwork.yaml");
    Files.write(f, new byte[] {'k', ':', ' ', (byte) 0xe9, '\n'});
    assertThatThrownBy(() -> ProjectConfig.load(f)).hasMessageContaining("not valid UTF-8");
  }

  @Test
  void rrfFromTheCommandLineUsesTheConfiguredRrfK() throws Exception {
    ProjectConfig c = ProjectConfig.parse("groundwork.yaml", new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
        .readTree("retrieval: {rrf_k: 10}\n"));
    var fusion = new Requests.Retrieval(null, "rrf", null, null).apply(c.retrieval(), c.rrfK()).fusion();
    var hit = new dev.groundwork.core.ScoredChunk(new dev.groundwork.core.Chunk("a", "d", "d", "", null, java.util.List.of(), null, 0, 1, "x", null, 0), 3);
    var fused = fusion.fuse(java.util.List.of(new dev.groundwork.core.retrieve.Ranking("bm25", java.util.List.of(hit), 1)));
    assertThat(fused.get(0).score()).isCloseTo(1 / 11.0, org.assertj.core.api.Assertions.within(1e-12));
  }
}
