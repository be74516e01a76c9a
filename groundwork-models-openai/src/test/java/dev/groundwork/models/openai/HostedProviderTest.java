package dev.groundwork.models.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.model.ChatMessage;
import dev.groundwork.core.model.ChatModel;
import dev.groundwork.core.model.ChatRequest;
import dev.groundwork.core.model.ModelRegistry;
import dev.groundwork.core.model.ModelSettings;
import dev.groundwork.testkit.FakeOpenAiServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Models fine-tuned on Together or Fireworks are served through their OpenAI-compatible APIs, named by their own prefix. */
class HostedProviderTest {
  @Test
  void togetherAndFireworksModelsAnswerOverTheirOwnEndpointsWithTheirOwnKeys() {
    try (FakeOpenAiServer api = new FakeOpenAiServer()) {
      for (String[] p : new String[][] {{"together", "TOGETHER"}, {"fireworks", "FIREWORKS"}}) {
        ModelSettings env = new ModelSettings(null, null, Duration.ofSeconds(2), Duration.ofSeconds(5), null, null,
            Map.of(p[1] + "_BASE_URL", api.baseUrl(), p[1] + "_API_KEY", p[0] + "-key", "OPENAI_API_KEY", "not-this-one"));
        ChatModel m = ModelRegistry.discover().chatModel(p[0] + ":accounts/acme/models/support-ft", env);
        assertThat(m.name()).isEqualTo(p[0] + ":accounts/acme/models/support-ft");
        m.chat(ChatRequest.of(ChatMessage.user("hello")));
        assertThat(api.lastRequest().header("Authorization")).isEqualTo("Bearer " + p[0] + "-key");
        assertThat(api.lastRequest().body()).contains("\"model\":\"accounts/acme/models/support-ft\"");
        ModelSettings none = new ModelSettings(null, null, Duration.ofSeconds(2), Duration.ofSeconds(5), null, null, Map.of("OPENAI_API_KEY", "k"));
        assertThatThrownBy(() -> ModelRegistry.discover().chatModel(p[0] + ":m", none)).hasMessageContaining(p[1] + "_API_KEY");
      }
    }
  }
}
