package dev.groundwork.models.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.core.model.ChatModel;
import dev.groundwork.core.model.ModelException;
import dev.groundwork.core.model.ModelRegistry;
import dev.groundwork.core.model.ModelSettings;
import dev.groundwork.testkit.ChatModelContract;
import dev.groundwork.testkit.FakeAnthropicServer;
import dev.groundwork.testkit.FakeLlmServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnthropicChatModelTest extends ChatModelContract {
  @Override
  protected FakeLlmServer newServer() {
    return new FakeAnthropicServer();
  }

  @Override
  protected ChatModel model(String wireModel, ModelSettings settings) {
    return new AnthropicProvider().chatModel(wireModel, settings);
  }

  @Override
  protected String sentSystemPrompt(JsonNode body) {
    JsonNode system = body.path("system");
    return system.isArray() ? system.get(0).path("text").asText() : system.asText();
  }

  @Override
  protected String sentLastUserMessage(JsonNode body) {
    JsonNode msgs = body.path("messages");
    JsonNode last = msgs.get(msgs.size() - 1);
    assertThat(last.path("role").asText()).isEqualTo("user");
    JsonNode content = last.path("content");
    return content.isArray() ? content.get(0).path("text").asText() : content.asText();
  }

  @Override
  protected void checkToolsSent(JsonNode body) {
    JsonNode tool = body.path("tools").get(0);
    assertThat(tool.path("name").asText()).isEqualTo("search_docs");
    assertThat(tool.path("input_schema").path("properties").path("k").path("type").asText()).isEqualTo("integer");
    assertThat(tool.path("input_schema").path("required").get(0).asText()).isEqualTo("query");
  }

  @Test
  void sendsTheVersionHeaderAndCountsCacheReadsAsInput() {
    server.enqueue(server.text("ok", 120, 20, 9));
    var r = model().chat(REQUEST);
    assertThat(server.lastRequest().header("anthropic-version")).isNotBlank();
    assertThat(server.lastRequest().header("x-api-key")).isEqualTo("test-key");
    assertThat(r.usage().inputTokens()).isEqualTo(120);
    assertThat(r.usage().cachedInputTokens()).isEqualTo(20);
  }

  @Test
  void overloadedIsRetryableAndTheBaseUrlMayOmitV1() {
    FakeAnthropicServer s = (FakeAnthropicServer) server;
    s.enqueue(s.overloaded());
    String bare = server.baseUrl().replace("/v1/", "");
    ModelSettings env = new ModelSettings(null, null, Duration.ofSeconds(2), Duration.ofSeconds(5), null, null,
        Map.of("ANTHROPIC_BASE_URL", bare, "ANTHROPIC_API_KEY", "k"));
    ChatModel m = ModelRegistry.discover().chatModel("anthropic:claude-haiku-4-5", env);
    assertThatThrownBy(() -> m.chat(REQUEST)).isInstanceOfSatisfying(ModelException.class, e -> {
      assertThat(e.kind()).isEqualTo(ModelException.Kind.UNAVAILABLE);
      assertThat(e.retryable()).isTrue();
    });
    assertThat(server.lastRequest().path()).isEqualTo("/v1/messages");
    assertThat(server.lastRequest().json().path("model").asText()).isEqualTo("claude-haiku-4-5");

    ModelSettings none = env.withEnv(Map.of());
    assertThatThrownBy(() -> new AnthropicProvider().chatModel("claude-haiku-4-5", none)).hasMessageContaining("ANTHROPIC_API_KEY");
  }
}
