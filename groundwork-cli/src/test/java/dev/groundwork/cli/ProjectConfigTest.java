package dev.groundwork.cli;

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
    ProjectConfig fromTemplate = load(InitCommand.template());
    ProjectConfig defaults = ProjectConfig.defaults();
    assertThat(fromTemplate.chunking()).isEqualTo(defaults.chunking());
    assertThat(fromTemplate.embedder()).isEqualTo(defaults.embedder()).isEqualTo("bge-small-en-v1.5-q");
    assertThat(fromTemplate.k()).isEqualTo(defaults.k()).isEqualTo(8);
    assertThat(fromTemplate.retrieval().fusion().name()).isEqualTo(defaults.retrieval().fusion().name());
    assertThat(fromTemplate.retrieval().denseWeight()).isEqualTo(defaults.retrieval().denseWeight());
    assertThat(fromTemplate.minEvidence()).isEqualTo(defaults.minEvidence());
    assertThat(fromTemplate.sources()).containsExactly("docs");
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
        .hasMessage("groundwork.yaml: unknown key 'retrieval.kk'; accepted keys under retrieval: auto_merge, bm25_weight, candidates, dense_weight, fusion, k, mode, rrf_k");
    assertThatThrownBy(() -> load("retrival:\n  k: 3\n")).hasMessageContaining("unknown key 'retrival'");
  }

  @Test
  void badValuesNameThePathAndWhatIsAccepted() {
    assertThatThrownBy(() -> load("retrieval:\n  k: 500\n")).hasMessage("groundwork.yaml: retrieval.k: must be a whole number in 1..50, got '500'");
    assertThatThrownBy(() -> load("retrieval:\n  mode: semantic\n")).hasMessage("groundwork.yaml: retrieval.mode: got 'semantic'; accepted: bm25, dense, hybrid");
    assertThatThrownBy(() -> load("embedder:\n  model: ada\n")).hasMessageContaining("embedder.model: got 'ada'; accepted: all-minilm-l6-v2");
    assertThatThrownBy(() -> load("answer:\n  min_evidence: high\n")).hasMessageContaining("answer.min_evidence: must be a number in 0.0..1.0, got 'high'");
    assertThatThrownBy(() -> load("retrieval: 5\n")).hasMessageContaining("retrieval: must be a mapping");
  }

  @Test
  void invalidUtf8IsReported() throws Exception {
    Path f = dir.resolve("groundwork.yaml");
    Files.write(f, new byte[] {'k', ':', ' ', (byte) 0xe9, '\n'});
    assertThatThrownBy(() -> ProjectConfig.load(f)).hasMessageContaining("not valid UTF-8");
  }
}
