package dev.groundwork.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.model.ModelRegistry;
import dev.groundwork.core.model.TokenUsage;
import org.junit.jupiter.api.Test;

/** The providers on the class path declare their prefixes, config keys and prices; nothing lists them by hand. */
class ProvidersTest {
  @Test
  void theRegistryGathersWhatEachProviderDeclares() {
    ModelRegistry r = ModelRegistry.discover();
    assertThat(r.prefixes()).containsExactly("anthropic", "fireworks", "llamacpp", "openai", "together");
    assertThat(r.configKeys("together")).containsExactlyInAnyOrder("base_url", "api_key");
    assertThat(r.configKeys("openai")).containsExactlyInAnyOrder("base_url", "api_key");
    assertThat(r.configKeys("llamacpp")).isEmpty();
    var prices = r.prices();
    assertThat(prices.cost("openai:gpt-4.1-mini", new TokenUsage(1_000_000, 0, 1_000_000, false))).isEqualTo(0.40 + 1.60);
    assertThat(prices.cost("anthropic:claude-haiku-4-5", new TokenUsage(1_000_000, 0, 0, false))).isEqualTo(1.00);
    assertThat(prices.cost("llamacpp:/models/any.gguf", new TokenUsage(500, 0, 500, false))).isZero();
    assertThat(prices.cost("openai:a-model-nobody-priced", new TokenUsage(1, 0, 1, false))).isNull();
  }

  @Test
  void configurationAcceptsExactlyTheDeclaredProvidersAndTheirKeys() throws Exception {
    var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
    assertThat(ProjectConfig.parse("groundwork.yaml", yaml.readTree("models: {anthropic: {base_url: 'http://x'}}\n")).models().settings("anthropic:m",
        java.util.Map.of(), java.nio.file.Path.of(".")).baseUrl()).isEqualTo("http://x");
    assertThatThrownBy(() -> ProjectConfig.parse("groundwork.yaml", yaml.readTree("models: {llamacpp: {base_url: 'http://x'}}\n")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'models.llamacpp'");
    assertThatThrownBy(() -> ProjectConfig.parse("groundwork.yaml", yaml.readTree("answer: {model: 'mistral:large'}\n")))
        .hasMessageContaining("unknown provider 'mistral'").hasMessageContaining("accepted: extractive, anthropic:MODEL, fireworks:MODEL, llamacpp:MODEL, openai:MODEL, together:MODEL");
  }
}
